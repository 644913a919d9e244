"""Python tooling for dpt: tiny real-architecture fixture models, reference goldens, benchmark exports."""
