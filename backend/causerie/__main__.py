from causerie.cli import app

app(prog_name="causerie")
