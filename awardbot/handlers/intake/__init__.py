"""The intake wing's chat: /apply and its walkthrough, evidence files, /mydrafts and
/mynominations."""
