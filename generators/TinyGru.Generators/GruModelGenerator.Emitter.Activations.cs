using System;
using System.Collections.Generic;
using System.Globalization;

namespace TinyGru.Generators
{
    public sealed partial class GruModelGenerator
    {
        internal static partial class Emitter
        {
            /// <summary>
            /// tanh(x) ≈ x·P(x²)/Q(x²) for |x| ≤ <paramref name="Clamp"/>; σ is derived from it. The generated class's
            /// <c>ActivationMaxError</c> is <paramref name="MaxError"/>.
            /// </summary>
            /// <param name="Degrees">Degrees in x of the numerator and denominator, as written in comments: "[13/6]".</param>
            /// <param name="Origin">Where the coefficients come from, for the generated comment.</param>
            /// <param name="Clamp">The end of the fitted range: |x| beyond it is evaluated at ±Clamp.</param>
            /// <param name="MaxError">The documented bound on |tanh error| as a C# float literal; σ's is half of it.</param>
            /// <param name="Numerator">The coefficients of P in y = x², highest power first (float literals).</param>
            /// <param name="Denominator">The coefficients of Q in y = x², highest power first (float literals).</param>
            private sealed record TanhRational(string Degrees, string Origin, float Clamp, string MaxError, string[] Numerator, string[] Denominator);

            /// <summary>
            /// Float and w8a32 models: a [13/6] rational on ±7.9053 (the Eigen/MLAS coefficients), measured error 3.5e-7, so
            /// a float model stays inside the 1e-5 parity with PyTorch.
            /// </summary>
            private static readonly TanhRational AccurateTanh = new TanhRational(
                "[13/6]", "the Eigen/MLAS coefficients", 7.90531110763549805f, "1e-6f",
                new[]
                {
                    "-2.76076847742355e-16f", "2.00018790482477e-13f", "-8.60467152213735e-11f", "5.12229709037114e-08f",
                    "1.48572235717979e-05f", "6.37261928875436e-04f", "4.89352455891786e-03f",
                },
                new[] { "1.19825839466702e-06f", "1.18534705686654e-04f", "2.26843463243900e-03f", "4.89352518554385e-03f" });

            /// <summary>
            /// w8a8 models: a [7/4] rational on ±6.3, fitted for TinyGru (Lawson-weighted least squares of x·P − tanh·Q, near
            /// minimax on [0, 6.3]; <c>generators/tools/fit_tanh_rational.py --p 3 --q 2 --clamp 6.3</c> reproduces them).
            /// Measured error 2.1e-5 in float32 (1.4e-5 inside the clamp, 1 − tanh(6.3) = 6.7e-6 beyond it). A w8a8 step
            /// rounds the state to multiples of 1/127 anyway (error up to 3.9e-3), so the [13/6]'s accuracy buys nothing
            /// there, and this costs five multiply-adds instead of nine and one multiply fewer: the multiply pipes the
            /// integer dot products also need.
            /// </summary>
            private static readonly TanhRational CompactTanh = new TanhRational(
                "[7/4]", "fitted for w8a8 models: the generator README, \"Activations\"", 6.3f, "2.5e-5f",
                new[] { "-2.3005082e-06f", "9.704617e-04f", "1.0835933e-01f", "9.9993616e-01f" },
                new[] { "1.4979642e-02f", "4.4149867e-01f", "1.000000e+00f" });

            private sealed partial class ClassWriter
            {
                /// <summary>The tanh rational of this model: <see cref="CompactTanh"/> for w8a8, else <see cref="AccurateTanh"/>.</summary>
                private TanhRational Activation => _w8a8 ? CompactTanh : AccurateTanh;

                private void WriteActivations()
                {
                    TanhRational rational = Activation;
                    foreach (string v in new[] { "Vector512", "Vector256", "Vector128", "" })
                    {
                        string lanes = v.Length == 0 ? "scalar" : v;
                        _w.Line("// tanh(x) ≈ x·P(x²)/Q(x²), a " + rational.Degrees + " rational (" + rational.Origin + "), with x clamped to ±" + F(rational.Clamp).TrimEnd('f') + " (|error| ≤ ActivationMaxError); " + lanes + " lanes.");
                        WriteRational(v, "Tanh", rational, scaledBy: 1, halfPlus: false);
                        _w.Line("// σ(x) = 1/2 + tanh(x/2)/2 = 1/2 + x·P(x²/4)/(4·Q(x²/4)): the tanh rational with coefficient i of P divided by 4^(i+1) and");
                        _w.Line("// of Q by 4^i (exact: powers of two), x clamped to ±" + F(2 * rational.Clamp).TrimEnd('f') + ". σ costs no multiply before the rational and one FMA");
                        _w.Line("// after it, where (1 + tanh(x/2)) / 2 costs a multiply before and a multiply and an add after. |error| ≤ ActivationMaxError / 2; " + lanes + " lanes.");
                        WriteRational(v, "Sigmoid", rational, scaledBy: 4, halfPlus: true);
                    }
                }

                // x·P(x²)/Q(x²) (+ 1/2 when halfPlus) for P, Q the tanh coefficients with term i of P divided by scaledBy^(i+1) and of Q
                // by scaledBy^i, and x clamped at √scaledBy times the tanh's clamp (σ(x) uses tanh(x/2)). The latency path is
                // x → x² → min → Q (Estrin) → x/Q → ·P; the clamped x and the numerator P (Estrin) are computed beside it.
                private void WriteRational(string v, string name, TanhRational rational, int scaledBy, bool halfPlus)
                {
                    float clamp = rational.Clamp * (float)Math.Sqrt(scaledBy);
                    bool scalar = v.Length == 0;
                    string t = scalar ? "float" : v + "<float>";
                    string C(string c) => scalar ? c : v + ".Create(" + c + ")";
                    // Multiply-adds fused where the instruction set has FMA (the JIT folds the IsSupported checks).
                    string MulAdd(string a, string b, string c) => v switch
                    {
                        "Vector512" => "Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(" + a + ", " + b + ", " + c + ") : " + a + " * " + b + " + " + c,
                        "Vector256" => "Fma.IsSupported ? Fma.MultiplyAdd(" + a + ", " + b + ", " + c + ") : " + a + " * " + b + " + " + c,
                        "Vector128" => "Fma.IsSupported ? Fma.MultiplyAdd(" + a + ", " + b + ", " + c + ") : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(" + c + ", " + a + ", " + b + ") : " + a + " * " + b + " + " + c,
                        _ => a + " * " + b + " + " + c,
                    };
                    string Coefficient(string[] highestFirst, int i, int extraPower)
                    {
                        float c = float.Parse(highestFirst[highestFirst.Length - 1 - i].TrimEnd('f'), NumberStyles.Float, CultureInfo.InvariantCulture);
                        for (int k = 0; k < i + extraPower; k++)
                        {
                            c /= scaledBy;
                        }

                        return C(F(c));
                    }

                    int numeratorDegree = rational.Numerator.Length - 1, denominatorDegree = rational.Denominator.Length - 1;
                    _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                    _w.Open("private static " + t + " " + name + "(" + t + " x)");
                    _w.Line(t + " ratio = " + name + "Factors(x, out " + t + " numerator);");
                    _w.Line("return " + (halfPlus ? MulAdd("ratio", "numerator", C("0.5f")) : "ratio * numerator") + ";");
                    _w.Close();
                    _w.Line();
                    _w.Line("// The two factors apart, clamped(x)/Q and P: a caller that multiplies the result by something anyway (the register");
                    _w.Line("// step) folds P into that product, one FMA after the division instead of a multiply, then an FMA.");
                    _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                    _w.Open("private static " + t + " " + name + "Factors(" + t + " x, out " + t + " numerator)");
                    _w.Line(scalar
                        ? "float clamped = MathF.Min(MathF.Max(x, " + F(-clamp) + "), " + F(clamp) + ");"
                        : t + " clamped = " + v + ".Min(" + v + ".Max(x, " + C(F(-clamp)) + "), " + C(F(clamp)) + ");");
                    _w.Line(scalar
                        ? "float y = MathF.Min(x * x, " + F(clamp * clamp) + ");"
                        : t + " y = " + v + ".Min(x * x, " + C(F(clamp * clamp)) + ");");
                    _w.Line("// Estrin's scheme in y = x²: P (degree " + numeratorDegree + ") is " + Levels(numeratorDegree) + " levels deep, Q (degree "
                        + denominatorDegree + ") " + Levels(denominatorDegree) + ".");
                    _w.Line(t + " y2 = y * y;");
                    if (Math.Max(numeratorDegree, denominatorDegree) >= 4)
                    {
                        _w.Line(t + " y4 = y2 * y2;");
                    }

                    WriteEstrin(t, "q", i => Coefficient(rational.Denominator, i, 0), denominatorDegree, t + " q", MulAdd);
                    WriteEstrin(t, "p", i => Coefficient(rational.Numerator, i, 1), numeratorDegree, "numerator", MulAdd);
                    _w.Line("return clamped / q;");
                    _w.Close();
                    _w.Line();
                }

                private static string Levels(int degree) => degree switch
                {
                    1 => "one",
                    2 or 3 => "two",
                    _ => "three",
                };

                // Estrin's scheme for Σ c_i·y^i (degree 2 … 7): pairs c_i + c_(i+1)·y, then pairs of those with y2, then with y4. Terms
                // are named by the powers they cover (p01, p23, p03, …) and declared as `type`; the last is assigned to `root` (a
                // declaration or an out parameter).
                private void WriteEstrin(string type, string prefix, Func<int, string> coefficient, int degree, string root, Func<string, string, string, string> mulAdd)
                {
                    var terms = new List<(int Low, int High, string Expression)>();
                    for (int i = 0; i <= degree; i += 2)
                    {
                        terms.Add(i + 1 <= degree ? (i, i + 1, mulAdd(coefficient(i + 1), "y", coefficient(i))) : (i, i, coefficient(i)));
                    }

                    string[] powers = { "y2", "y4" };
                    for (int level = 0; ; level++)
                    {
                        bool last = terms.Count == 1;
                        var next = new List<(int Low, int High, string Expression)>();
                        foreach ((int low, int high, string expression) in terms)
                        {
                            if (last)
                            {
                                _w.Line(root + " = " + expression + ";");
                            }
                            else if (high > low)
                            {
                                string variable = prefix + low.ToString(CultureInfo.InvariantCulture) + high.ToString(CultureInfo.InvariantCulture);
                                _w.Line(type + " " + variable + " = " + expression + ";");
                                next.Add((low, high, variable));
                            }
                            else
                            {
                                next.Add((low, high, expression)); // a lone constant: folded into the next level
                            }
                        }

                        if (last)
                        {
                            return;
                        }

                        terms = new List<(int Low, int High, string Expression)>();
                        for (int j = 0; j < next.Count; j += 2)
                        {
                            terms.Add(j + 1 < next.Count
                                ? (next[j].Low, next[j + 1].High, mulAdd(next[j + 1].Expression, powers[level], next[j].Expression))
                                : next[j]);
                        }
                    }
                }
            }
        }
    }
}
