"""The documents wing: the data the 公示, the winners' picture, certificates and charts are
drawn from, read from a round (the drawing is ``awardbot/documents``)."""
