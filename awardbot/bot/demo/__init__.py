"""``awardbot demo``: the real bot against the emulator, with a seeded sample bureau
(``session``), a console to be any sample person in (``console``) and a scripted tour
(``tour``); ``run`` starts one or the other."""
