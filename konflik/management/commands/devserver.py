"""`make run`: the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server with a Celery worker and beat (first-run convenience)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        python = sys.executable
        commands = {
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "konflik",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
            ],
            "beat": [python, "-m", "celery", "-A", "konflik", "beat", "--loglevel=INFO"],
            "web": [python, "manage.py", "runserver", "--noreload", addr],
        }
        procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self.stdout.write(
            f"konflik runs at http://{addr}/ (worker and beat started); Ctrl-C stops all three."
        )
        try:
            while True:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping the others")
                        raise KeyboardInterrupt
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs.values():
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
