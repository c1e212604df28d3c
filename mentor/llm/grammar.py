"""A GBNF grammar under which a model can write anything but a citation outside [1]..[k].

Any character but a square bracket is free; a bracket may only open one of the allowed
citations. llama.cpp applies it while sampling, so an out-of-range `[n]` cannot be written.
"""

from __future__ import annotations

from collections.abc import Iterable


def citation_grammar(allowed: Iterable[int]) -> str:
    numbers = sorted(set(allowed))
    rules = ["root ::= piece+", 'piece ::= [^\\[\\]] | citation']
    if numbers:
        rules.append('citation ::= "[" (' + " | ".join(f'"{n}"' for n in numbers) + ') "]"')
    else:
        rules[1] = "piece ::= [^\\[\\]]"
    return "\n".join(rules) + "\n"
