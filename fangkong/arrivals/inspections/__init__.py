"""The place a notice names, checked before the return: the observation-condition inspection
by a joint team (观察条件核查), the unit's responsibility letter (《疫情防控责任书》) and
unannounced spot checks of a unit observation."""
