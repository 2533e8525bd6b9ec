"""The evaluation wing: blind scoring with recusal, the group leader's progress and
corrections, closing and ranking a round, the party group's decision and the export."""
