"""The review wing's chat: leaders' and 督查科's cards, /queue, /delegate, /history."""
