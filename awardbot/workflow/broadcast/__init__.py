"""The broadcast wing: publicity broadcasts from draft to delivery, with their audience and
progress."""
