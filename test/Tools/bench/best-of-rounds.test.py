import sys

sys.path.insert(0, sys.argv[1])
from x86bench import best_of_rounds  # noqa: E402

order = []
times = {"a": [3.0, 1.0, 2.0], "b": [None, 6.0, 5.0]}
calls = {"a": 0, "b": 0, "c": 0}


def contender(name):
    def run():
        order.append(name)
        i = calls[name]
        calls[name] += 1
        t = times.get(name, [None] * 3)[i]
        return {"median_ms": t, "round": i} if t is not None else \
            {"error": f"failed {i}"}
    return run


best = best_of_rounds(3, {n: contender(n) for n in ("a", "b", "c")})
print("order", " ".join(order))
for name in ("a", "b", "c"):
    print(name, best[name])
print("single", best_of_rounds(1, {"x": lambda: {"median_ms": 4.0}})["x"])
