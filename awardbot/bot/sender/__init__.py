"""The one sender of every outgoing message: it claims due outbox rows, paces them under
Telegram's limits, retries and records each delivery (``loop``), one instance at a time
(``leader``)."""
