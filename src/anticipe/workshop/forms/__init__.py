"""The site's forms, one module per page family: :mod:`.common` (the code rule, described
fields), :mod:`.accounts`, :mod:`.setup`, :mod:`.rounds`, :mod:`.panel`, :mod:`.decisions`
(the facilitator's syntheses and decisions) and :mod:`.expert` (the expert's answers).
Views import them from here; the rules they check are on the models and in
:mod:`anticipe.workshop.rules`."""
