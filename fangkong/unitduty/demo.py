"""Demo units' duty: placeholder filled below."""


def load_demo() -> str:
    return "unitduty: nothing yet"
