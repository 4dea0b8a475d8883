"""The seed report's study: Le Forem, « Médiateur numérique, un métier d'avenir ? » (mai 2018).

``study.json`` holds the report's texts (see :mod:`.transcription`) and a simulated panel
of ten experts (see :mod:`.simulate`, which regenerates the file).
"""
