"""The intake wing: who may apply for what, the application walkthrough (drafts kept per
answer), evidence, the preview, submitting, withdrawing and revising."""
