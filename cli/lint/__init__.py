"""`layerplan lint`: a catalogue of rules over summarised specs, with settings and
output formats for editors, pre-commit and CI."""
