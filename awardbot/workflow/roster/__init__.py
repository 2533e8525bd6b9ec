"""The roster wing: units, staff and roles from the roster file, window assessment scores,
invitations and binding a Telegram account, who someone is."""
