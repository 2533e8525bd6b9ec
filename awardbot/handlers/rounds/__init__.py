"""The rounds wing's chat: an admin's /rounds (stages, deadlines, opening the evaluation)."""
