"""The reminders wing's chat: /mute and /unmute."""
