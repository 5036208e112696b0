from app.main import main

if __name__ == "__main__":  # not when a worker process of the parallel scan imports the main module
    raise SystemExit(main())
