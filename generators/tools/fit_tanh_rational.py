#!/usr/bin/env python3
"""Fits tanh(x) ≈ x·P(x²)/Q(x²) on [0, clamp] (Q(0) = 1) and checks the result as the generated code computes it.

Used for the [7/4] rational of w8a8 classes (GruModelGenerator.Emitter.Activations.cs, generator README "Activations"):

    python3 generators/tools/fit_tanh_rational.py --p 3 --q 2 --clamp 6.3

Method: Loeb's linearisation (minimise x·P − tanh·Q weighted by 1/Q of the previous iterate) inside Lawson's
iteration (weights multiplied by the error each round), which converges towards the minimax rational. Then every
x in [0, 12] on a fine grid is evaluated in float32 with the generated operation order (clamp, y = min(x², c²),
Estrin with fused multiply-adds, clamped/Q · P), and the largest |error| against tanh is printed. Pure Python.
"""
import argparse
import math
import struct


def f32(v):
    return struct.unpack('f', struct.pack('f', v))[0]


def solve(a, b):
    n = len(a)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(dp, dq, clamp, iterations=40, points=800):
    xs = [clamp * (0.5 - 0.5 * math.cos(math.pi * (i + 0.5) / points)) for i in range(points)]
    weights, previous_q, best = [1.0] * points, [1.0] * points, None
    for _ in range(iterations):
        unknowns = dp + 1 + dq
        a = [[0.0] * unknowns for _ in range(unknowns)]
        b = [0.0] * unknowns
        for x, w, qp in zip(xs, weights, previous_q):
            y, t = x * x, math.tanh(x)
            row = [x * y ** i for i in range(dp + 1)] + [-t * y ** j for j in range(1, dq + 1)]
            s = w / (qp * qp)
            for i in range(unknowns):
                b[i] += s * row[i] * t
                for j in range(unknowns):
                    a[i][j] += s * row[i] * row[j]
        solution = solve(a, b)
        p, q = solution[:dp + 1], [1.0] + solution[dp + 1:]
        errors = [x * sum(p[i] * (x * x) ** i for i in range(dp + 1)) / sum(q[j] * (x * x) ** j for j in range(dq + 1)) - math.tanh(x) for x in xs]
        previous_q = [sum(q[j] * (x * x) ** j for j in range(dq + 1)) for x in xs]
        worst = max(abs(e) for e in errors)
        if best is None or worst < best[0]:
            best = (worst, p, q)
        total = sum(w * abs(e) for w, e in zip(weights, errors))
        weights = [w * abs(e) / total * points for w, e in zip(weights, errors)]
    return best


def estrin(c, y, y2, y4):
    terms = [f32(c[i + 1] * y + c[i]) if i + 1 < len(c) else c[i] for i in range(0, len(c), 2)]
    for power in (y2, y4):
        if len(terms) == 1:
            break
        terms = [f32(terms[j + 1] * power + terms[j]) if j + 1 < len(terms) else terms[j] for j in range(0, len(terms), 2)]
    return terms[0]


def generated(p, q, clamp, x):
    p, q, c = [f32(v) for v in p], [f32(v) for v in q], f32(clamp)
    x = f32(x)
    clamped = min(max(x, -c), c)
    y = min(f32(x * x), f32(c * c))
    y2 = f32(y * y)
    y4 = f32(y2 * y2)
    return f32(f32(clamped / estrin(q, y, y2, y4)) * estrin(p, y, y2, y4))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--p', type=int, required=True, help='degree of P in x²')
    parser.add_argument('--q', type=int, required=True, help='degree of Q in x²')
    parser.add_argument('--clamp', type=float, required=True)
    args = parser.parse_args()
    inside, p, q = fit(args.p, args.q, args.clamp)
    overall = max(abs(generated(p, q, args.clamp, 12.0 * i / 24000) - math.tanh(f32(12.0 * i / 24000))) for i in range(24001))
    literal = lambda v: '%.8ef' % f32(v)
    print(f'[{2 * args.p + 1}/{2 * args.q}] on [0, {args.clamp}]: max error {inside:.2e} inside the clamp (float64), {overall:.2e} over [0, 12] in float32')
    print('numerator, highest power first:  ', ', '.join(f'"{literal(v)}"' for v in reversed(p)))
    print('denominator, highest power first:', ', '.join(f'"{literal(v)}"' for v in reversed(q)))


if __name__ == '__main__':
    main()
