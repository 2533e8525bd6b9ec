"""The notice wing's chat: /publish, objections during a notice, the satisfaction survey."""
