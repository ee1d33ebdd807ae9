"""Danish NLP code suggestions: pipeline choice, lemmas, keyword matching, the learned model,
and running it all for a project or for files. The store side is `lfa_qual.suggestions`."""
