"""The broadcast wing's chat: composing, choosing the audience, previewing and watching a
publicity broadcast."""
