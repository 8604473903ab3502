#!/usr/bin/env python
from concord.cli import main

if __name__ == "__main__":
    main()
