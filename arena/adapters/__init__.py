"""Adapters: the only modules that import storage drivers, litellm, llama.cpp and file formats' libraries."""
