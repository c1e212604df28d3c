from mentor.cli import main

main(prog_name="mentor")
