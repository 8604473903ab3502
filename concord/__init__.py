"""Concord: open, multistakeholder public consultations."""
