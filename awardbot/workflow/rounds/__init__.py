"""The rounds wing: a family's competition for one period, its stages and its deadlines.

``stages`` is the round's lifecycle — every stage, every move between them and what each act
needs; ``opening`` opens, extends and closes a round by hand (the command line); ``admin``
is an admin's /rounds; ``evaluation`` opens the evaluation (and its survey); ``schedule``
and ``plan`` put rounds on the working-day calendar (``calendar``).
"""
