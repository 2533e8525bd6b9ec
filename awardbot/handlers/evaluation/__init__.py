"""The evaluation wing's chat: /score for members, /progress and /correct for the group
leader, /decide and /export for the party group's decision."""
