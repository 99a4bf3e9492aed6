"""The graph helps the model and the annotator: review priorities from graph signals
(`priority`), a gazetteer of known entities (`gazetteer`), the relation type constraint and
embedding re-ranking (`relations`), scored on a model's cached reading (`readout`)."""
