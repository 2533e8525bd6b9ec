"""The notice wing: publishing the decided list for three working days, objections and
their review, closing the notice; the satisfaction survey beside the evaluation."""
