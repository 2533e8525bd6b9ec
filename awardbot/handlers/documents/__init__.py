"""The chat side of the papers: /papers and the charts."""
