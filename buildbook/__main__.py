"""``python -m buildbook <command>``: a small dispatcher over the build's command-line tools."""
import sys


def _run(argv):
    from .experiments import main
    return main(argv)


def _twins(argv):
    from .twins import main
    return main(argv)


COMMANDS = {
    "run": (_run, "train an experiment and write results/<name>.json"),
    "twins": (_twins, "--sync records each page's twin hash; --check lists pages out of sync"),
}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print("usage: python -m buildbook <command> [args]\n\ncommands:")
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:8s} {text}")
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    func, _ = COMMANDS[argv[0]]
    return func(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
