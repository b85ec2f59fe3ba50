using System;
using System.Globalization;
using System.Text;
using TinyGru.Model.Architecture;

namespace TinyGru.Generators
{
    public sealed partial class GruModelGenerator
    {
        internal static partial class Emitter
        {
            /// <summary>One instruction-set path of the generated kernels.</summary>
            private sealed class Isa
            {
                public Isa(string name, int width, string vector, string statics, string condition, Func<string, string, string, string> fma)
                {
                    Name = name;
                    Width = width;
                    Vector = vector;
                    Statics = statics;
                    Condition = condition;
                    Fma = fma;
                }

                /// <summary>Method suffix.</summary>
                public string Name { get; }

                /// <summary>Floats per vector (1 for scalar).</summary>
                public int Width { get; }

                /// <summary>The vector type.</summary>
                public string Vector { get; }

                /// <summary>The static helper class of the vector type.</summary>
                public string Statics { get; }

                /// <summary>The <c>IsSupported</c> test selecting this path.</summary>
                public string Condition { get; }

                /// <summary>Formats a·b + c.</summary>
                public Func<string, string, string, string> Fma { get; }
            }

            private static readonly Isa Avx512 = new Isa("Avx512", 16, "Vector512<float>", "Vector512", "Avx512F.IsSupported", (a, b, c) => "Avx512F.FusedMultiplyAdd(" + a + ", " + b + ", " + c + ")");
            private static readonly Isa Avx2 = new Isa("Avx2", 8, "Vector256<float>", "Vector256", "Avx2.IsSupported && Fma.IsSupported", (a, b, c) => "Fma.MultiplyAdd(" + a + ", " + b + ", " + c + ")");
            private static readonly Isa Neon = new Isa("AdvSimd", 4, "Vector128<float>", "Vector128", "AdvSimd.IsSupported", (a, b, c) => "AdvSimd.FusedMultiplyAdd(" + c + ", " + a + ", " + b + ")");
            private static readonly Isa Portable = new Isa("Vector128", 4, "Vector128<float>", "Vector128", "Vector128.IsHardwareAccelerated", (a, b, c) => c + " + " + a + " * " + b);
            private static readonly Isa Scalar = new Isa("Scalar", 1, "float", "", "true", (a, b, c) => c + " + " + a + " * " + b);
            private static readonly Isa[] Paths = { Avx512, Avx2, Neon, Portable, Scalar };

            /// <summary>Panels processed together in a matrix–vector product: independent FMA chains.</summary>
            private const int PanelGroup = 4;

            // [13/6] rational approximation of tanh on [-7.9053, 7.9053] (the Eigen/MLAS coefficients).
            private static readonly string[] TanhNumerator =
            {
                "-2.76076847742355e-16f", "2.00018790482477e-13f", "-8.60467152213735e-11f", "5.12229709037114e-08f",
                "1.48572235717979e-05f", "6.37261928875436e-04f", "4.89352455891786e-03f",
            };

            private static readonly string[] TanhDenominator =
            {
                "1.19825839466702e-06f", "1.18534705686654e-04f", "2.26843463243900e-03f", "4.89352518554385e-03f",
            };

            private sealed partial class ClassWriter
            {
                /// <summary>The element-wise path for <paramref name="isa"/>: 512-bit only when Hp is a multiple of 16.</summary>
                private Isa Elementwise(Isa isa) => isa == Avx512 && _hp % 16 != 0 ? Avx2 : isa;

                private void WriteKernels()
                {
                    for (int layer = 0; layer < _l; layer++)
                    {
                        for (int dir = 0; dir < _d; dir++)
                        {
                            _ct.ThrowIfCancellationRequested();
                            string s = Suffix(layer, dir);
                            int k = K(layer);
                            WriteDispatch("Project" + s, "ref float x, int steps, ref float y", "ref x, steps, ref y",
                                "Input projection of `steps` steps: y[t] = W_ih·x[t] + b (" + N(k) + " → GateRows floats per step).");
                            WriteDispatch("ProjectOne" + s, "ref float x, ref float y", "ref x, ref y", "Input projection of one step: y = W_ih·x + b.");
                            WriteDispatch("Cell" + s, "ref float projection, ref float h, ref float recurrent", "ref projection, ref h, ref recurrent",
                                "One cell update of the state h (Hp floats) from the step's input projection; `recurrent` is GateRows + Hp floats of scratch.");
                            foreach (Isa isa in Paths)
                            {
                                WriteProject(isa, s, k);
                                WriteMatVec(isa, "ProjectOne" + s + "_" + isa.Name, "Wx" + s, k, 0, _r / 8, "Bx" + s,
                                    "y = W_ih·x + b for all " + N(_r) + " gate rows");
                                if (_cho)
                                {
                                    WriteMatVec(isa, "RecurrentRz" + s + "_" + isa.Name, "Wh" + s, _h, 0, 2 * _hp / 8, null,
                                        "y[r, z rows] = U_r·h, U_z·h (biases are in the input projection)");
                                    WriteMatVec(isa, "RecurrentN" + s + "_" + isa.Name, "Wh" + s, _h, 2 * _hp / 8, _r / 8, null,
                                        "y[n rows] = U_h·(r ⊙ h)");
                                }
                                else
                                {
                                    WriteMatVec(isa, "Recurrent" + s + "_" + isa.Name, "Wh" + s, _h, 0, _r / 8, "Bh" + s,
                                        "y = W_hh·h + b_hh for all three gates");
                                }

                                WriteCell(isa, s);
                            }
                        }
                    }
                }

                private void WriteDispatch(string name, string parameters, string arguments, string comment)
                {
                    _w.Line("// " + comment + " Picks the widest instruction set this machine has; the JIT folds the checks.");
                    _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                    _w.Open("private static void " + name + "(" + parameters + ")");
                    for (int i = 0; i < Paths.Length; i++)
                    {
                        Isa isa = Paths[i];
                        string call = name + "_" + isa.Name + "(" + arguments + ");";
                        if (isa == Scalar)
                        {
                            _w.Line("else");
                            _w.Line("    " + call);
                        }
                        else
                        {
                            _w.Line((i == 0 ? "if (" : "else if (") + isa.Condition + ")");
                            _w.Line("    " + call);
                        }
                    }

                    _w.Close();
                    _w.Line();
                }

                // y[p·8 + j] for panels [p0, p1): 8-row panels of a matrix stored panel by panel, each panel K rows of 8 floats.
                private void WriteMatVec(Isa isa, string name, string matrix, int k, int p0, int p1, string? bias, string comment)
                {
                    _w.Line("// " + comment + " (" + isa.Name + "): rows " + N(p0 * 8) + " … " + N(p1 * 8 - 1) + ", " + N(k) + " columns.");
                    _w.Open("private static void " + name + "(ref float x, ref float y)");
                    _w.Line("ref float w = ref MemoryMarshal.GetReference(" + matrix + ");");
                    if (bias is not null)
                    {
                        _w.Line("ref float b = ref MemoryMarshal.GetReference(" + bias + ");");
                    }

                    if (isa == Scalar)
                    {
                        _w.Line("for (int p = " + N(p0) + "; p < " + N(p1) + "; p++)");
                        _w.Open();
                        _w.Line("ref float panel = ref Unsafe.Add(ref w, p * " + N(k * 8) + ");");
                        _w.Line("for (int j = 0; j < 8; j++)");
                        _w.Open();
                        _w.Line("float sum = " + (bias is null ? "0f" : "Unsafe.Add(ref b, p * 8 + j)") + ";");
                        _w.Line("for (int k = 0; k < " + N(k) + "; k++)");
                        _w.Line("    sum += Unsafe.Add(ref panel, k * 8 + j) * Unsafe.Add(ref x, k);");
                        _w.Line("Unsafe.Add(ref y, p * 8 + j) = sum;");
                        _w.Close();
                        _w.Close();
                        _w.Close();
                        _w.Line();
                        return;
                    }

                    int count = p1 - p0;
                    int full = count / PanelGroup * PanelGroup;
                    if (full > 0)
                    {
                        _w.Line("// " + N(PanelGroup) + " panels (" + N(PanelGroup * 8) + " rows) at a time: independent accumulators hide the FMA latency.");
                        _w.Line("for (int p = " + N(p0) + "; p < " + N(p0 + full) + "; p += " + N(PanelGroup) + ")");
                        _w.Open();
                        _w.Line("ref float panel = ref Unsafe.Add(ref w, p * " + N(k * 8) + ");");
                        WritePanels(isa, PanelGroup, "p", k, bias is not null, 1, "x", "y", 0);
                        _w.Close();
                    }

                    if (count > full)
                    {
                        int p = p0 + full;
                        _w.Line("// The last " + N(count - full) + " panel(s).");
                        _w.Open();
                        _w.Line("ref float panel = ref Unsafe.Add(ref w, " + N(p * k * 8) + ");");
                        WritePanels(isa, count - full, N(p), k, bias is not null, 1, "x", "y", 0);
                        _w.Close();
                    }

                    _w.Close();
                    _w.Line();
                }

                /// <summary>
                /// Accumulates <paramref name="panels"/> consecutive panels (starting at panel index <paramref name="p"/>, data at ref
                /// <c>panel</c>) against <paramref name="steps"/> input vectors x0…, storing rows into y0… (stride <paramref name="yStride"/>).
                /// </summary>
                private void WritePanels(Isa isa, int panels, string p, int k, bool bias, int steps, string x, string y, int yStride)
                {
                    string X(int s) => steps == 1 ? x : x + N(s);
                    string Y(int s) => steps == 1 ? y : y + N(s);
                    string Row(int extra) => p == "p" ? "(nuint)(p * 8 + " + N(extra) + ")" : "(nuint)" + N(int.Parse(p, CultureInfo.InvariantCulture) * 8 + extra);

                    if (isa == Avx512)
                    {
                        // Each 512-bit load covers rows k and k+1 of one panel (8 floats each); x[k] and x[k+1] fill the two halves.
                        for (int s = 0; s < steps; s++)
                        {
                            for (int i = 0; i < panels; i++)
                            {
                                _w.Line("Vector512<float> a" + N(s) + "_" + N(i) + " = Vector512<float>.Zero;");
                            }
                        }

                        if (k >= 2)
                        {
                            _w.Line("ref float wk = ref panel;");
                            _w.Line("for (int k = 0; k < " + N(k - 1) + "; k += 2, wk = ref Unsafe.Add(ref wk, 16))");
                            _w.Open();
                            for (int i = 0; i < panels; i++)
                            {
                                _w.Line("Vector512<float> w" + N(i) + " = Vector512.LoadUnsafe(ref wk, " + N(i * k * 8) + ");");
                            }

                            for (int s = 0; s < steps; s++)
                            {
                                _w.Line("Vector512<float> x" + N(s) + "k = Avx512F.InsertVector256(Vector512.Create(Unsafe.Add(ref " + X(s) + ", k)), Vector256.Create(Unsafe.Add(ref " + X(s) + ", k + 1)), 1);");
                                for (int i = 0; i < panels; i++)
                                {
                                    _w.Line("a" + N(s) + "_" + N(i) + " = " + isa.Fma("w" + N(i), "x" + N(s) + "k", "a" + N(s) + "_" + N(i)) + ";");
                                }
                            }

                            _w.Close();
                        }

                        for (int s = 0; s < steps; s++)
                        {
                            for (int i = 0; i < panels; i++)
                            {
                                string sum = "s" + N(s) + "_" + N(i);
                                _w.Line("Vector256<float> " + sum + " = a" + N(s) + "_" + N(i) + ".GetLower() + a" + N(s) + "_" + N(i) + ".GetUpper();");
                                if (k % 2 == 1)
                                {
                                    _w.Line(sum + " = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref panel, " + N(i * k * 8 + (k - 1) * 8) + "), Vector256.Create(Unsafe.Add(ref " + X(s) + ", " + N(k - 1) + ")), " + sum + ");");
                                }

                                if (bias)
                                {
                                    _w.Line(sum + " += Vector256.LoadUnsafe(ref b, " + Row(i * 8) + ");");
                                }

                                _w.Line(sum + ".StoreUnsafe(ref " + Y(s) + ", " + Row(i * 8) + ");");
                            }
                        }

                        return;
                    }

                    int halves = 8 / isa.Width;
                    string v = isa.Vector;
                    string st = isa.Statics;
                    for (int s = 0; s < steps; s++)
                    {
                        for (int i = 0; i < panels; i++)
                        {
                            for (int hv = 0; hv < halves; hv++)
                            {
                                string init = bias ? st + ".LoadUnsafe(ref b, " + Row(i * 8 + hv * isa.Width) + ")" : v + ".Zero";
                                _w.Line(v + " a" + N(s) + "_" + N(i) + "_" + N(hv) + " = " + init + ";");
                            }
                        }
                    }

                    _w.Line("ref float wk = ref panel;");
                    _w.Line("for (int k = 0; k < " + N(k) + "; k++, wk = ref Unsafe.Add(ref wk, 8))");
                    _w.Open();
                    for (int i = 0; i < panels; i++)
                    {
                        for (int hv = 0; hv < halves; hv++)
                        {
                            _w.Line(v + " w" + N(i) + "_" + N(hv) + " = " + st + ".LoadUnsafe(ref wk, " + N(i * k * 8 + hv * isa.Width) + ");");
                        }
                    }

                    for (int s = 0; s < steps; s++)
                    {
                        _w.Line(v + " x" + N(s) + "k = " + st + ".Create(Unsafe.Add(ref " + X(s) + ", k));");
                        for (int i = 0; i < panels; i++)
                        {
                            for (int hv = 0; hv < halves; hv++)
                            {
                                string a = "a" + N(s) + "_" + N(i) + "_" + N(hv);
                                _w.Line(a + " = " + isa.Fma("w" + N(i) + "_" + N(hv), "x" + N(s) + "k", a) + ";");
                            }
                        }
                    }

                    _w.Close();
                    for (int s = 0; s < steps; s++)
                    {
                        for (int i = 0; i < panels; i++)
                        {
                            for (int hv = 0; hv < halves; hv++)
                            {
                                _w.Line("a" + N(s) + "_" + N(i) + "_" + N(hv) + ".StoreUnsafe(ref " + Y(s) + ", " + Row(i * 8 + hv * isa.Width) + ");");
                            }
                        }
                    }
                }

                // The input projections of many steps as one matrix product: four steps share each weight load.
                private void WriteProject(Isa isa, string s, int k)
                {
                    _w.Line("// Input projection of `steps` steps (" + isa.Name + "): y[t] = W_ih·x[t] + b, four steps per pass over the weights.");
                    _w.Open("private static void Project" + s + "_" + isa.Name + "(ref float x, int steps, ref float y)");
                    _w.Line("int t = 0;");
                    if (isa != Scalar)
                    {
                        _w.Line("ref float w = ref MemoryMarshal.GetReference(Wx" + s + ");");
                        _w.Line("ref float b = ref MemoryMarshal.GetReference(Bx" + s + ");");
                        _w.Line("for (; t + 4 <= steps; t += 4)");
                        _w.Open();
                        _w.Line("ref float x0 = ref Unsafe.Add(ref x, t * " + N(k) + ");");
                        _w.Line("ref float x1 = ref Unsafe.Add(ref x0, " + N(k) + ");");
                        _w.Line("ref float x2 = ref Unsafe.Add(ref x1, " + N(k) + ");");
                        _w.Line("ref float x3 = ref Unsafe.Add(ref x2, " + N(k) + ");");
                        _w.Line("ref float y0 = ref Unsafe.Add(ref y, t * GateRows);");
                        _w.Line("ref float y1 = ref Unsafe.Add(ref y0, GateRows);");
                        _w.Line("ref float y2 = ref Unsafe.Add(ref y1, GateRows);");
                        _w.Line("ref float y3 = ref Unsafe.Add(ref y2, GateRows);");
                        _w.Line("for (int p = 0; p < " + N(_r / 8) + "; p++)");
                        _w.Open();
                        _w.Line("ref float panel = ref Unsafe.Add(ref w, p * " + N(k * 8) + ");");
                        WritePanels(isa, 1, "p", k, true, 4, "x", "y", _r);
                        _w.Close();
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("// Remaining steps one at a time.");
                    _w.Line("for (; t < steps; t++)");
                    _w.Line("    ProjectOne" + s + "_" + isa.Name + "(ref Unsafe.Add(ref x, t * " + N(k) + "), ref Unsafe.Add(ref y, t * GateRows));");
                    _w.Close();
                    _w.Line();
                }

                private void WriteCell(Isa pathIsa, string s)
                {
                    Isa isa = Elementwise(pathIsa);
                    string v = isa.Vector;
                    string st = isa.Statics;
                    bool scalar = isa == Scalar;
                    int step = isa.Width;
                    string Load(string reference, int offset) => scalar
                        ? "Unsafe.Add(ref " + reference + ", j" + (offset == 0 ? "" : " + " + N(offset)) + ")"
                        : st + ".LoadUnsafe(ref " + reference + ", j" + (offset == 0 ? "" : " + " + N(offset)) + ")";
                    string Store(string value, string reference, int offset) => scalar
                        ? "Unsafe.Add(ref " + reference + ", j" + (offset == 0 ? "" : " + " + N(offset)) + ") = " + value + ";"
                        : "(" + value + ").StoreUnsafe(ref " + reference + ", j" + (offset == 0 ? "" : " + " + N(offset)) + ");";
                    string loop = scalar ? "for (int j = 0; j < Hp; j++)" : "for (nuint j = 0; j < Hp; j += " + N(step) + ")";

                    _w.Line("// One cell update (" + pathIsa.Name + "); element-wise work in " + (scalar ? "scalars" : N(step) + "-float vectors") + ".");
                    _w.Open("private static void Cell" + s + "_" + pathIsa.Name + "(ref float projection, ref float h, ref float recurrent)");
                    if (!_cho)
                    {
                        _w.Line("// recurrent = W_hh·h + b_hh for the three gates.");
                        _w.Line("Recurrent" + s + "_" + pathIsa.Name + "(ref h, ref recurrent);");
                        _w.Line("// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n).");
                        _w.Line(loop);
                        _w.Open();
                        _w.Line(v + " r = Sigmoid(" + Load("projection", 0) + " + " + Load("recurrent", 0) + ");");
                        _w.Line(v + " z = Sigmoid(" + Load("projection", _hp) + " + " + Load("recurrent", _hp) + ");");
                        _w.Line(v + " n = Tanh(" + Load("projection", 2 * _hp) + " + r * " + Load("recurrent", 2 * _hp) + ");");
                        _w.Line(v + " old = " + Load("h", 0) + ";");
                        _w.Line(Store("n + z * (old - n)", "h", 0));
                        _w.Close();
                    }
                    else
                    {
                        _w.Line("ref float resetState = ref Unsafe.Add(ref recurrent, GateRows);");
                        _w.Line("// recurrent[r, z] = U_r·h, U_z·h (the summed biases b_ih + b_hh are in the projection).");
                        _w.Line("RecurrentRz" + s + "_" + pathIsa.Name + "(ref h, ref recurrent);");
                        _w.Line("// r = σ(x_r + U_r h), z = σ(x_z + U_z h) (kept in recurrent[z]); the reset state r ⊙ h feeds the candidate.");
                        _w.Line(loop);
                        _w.Open();
                        _w.Line(v + " r = Sigmoid(" + Load("projection", 0) + " + " + Load("recurrent", 0) + ");");
                        _w.Line(Store("r * " + Load("h", 0), "resetState", 0));
                        _w.Line(Store("Sigmoid(" + Load("projection", _hp) + " + " + Load("recurrent", _hp) + ")", "recurrent", _hp));
                        _w.Close();
                        _w.Line("// recurrent[n] = U_h·(r ⊙ h).");
                        _w.Line("RecurrentN" + s + "_" + pathIsa.Name + "(ref resetState, ref recurrent);");
                        _w.Line("// h~ = tanh(x_h + U_h (r ⊙ h)), h' = (1 − z) ⊙ h + z ⊙ h~ = h + z ⊙ (h~ − h).");
                        _w.Line(loop);
                        _w.Open();
                        _w.Line(v + " candidate = Tanh(" + Load("projection", 2 * _hp) + " + " + Load("recurrent", 2 * _hp) + ");");
                        _w.Line(v + " z = " + Load("recurrent", _hp) + ";");
                        _w.Line(v + " old = " + Load("h", 0) + ";");
                        _w.Line(Store("old + z * (candidate - old)", "h", 0));
                        _w.Close();
                    }

                    _w.Close();
                    _w.Line();
                }

                private void WriteActivations()
                {
                    foreach (string v in new[] { "Vector512", "Vector256", "Vector128", "" })
                    {
                        bool scalar = v.Length == 0;
                        string t = scalar ? "float" : v + "<float>";
                        string C(string c) => scalar ? c : v + ".Create(" + c + ")";
                        _w.Line("// tanh(x) ≈ x·P(x²)/Q(x²) with x clamped to ±7.9053 (|error| ≤ ActivationMaxError); " + (scalar ? "scalar" : v) + " lanes.");
                        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                        _w.Open("private static " + t + " Tanh(" + t + " x)");
                        _w.Line(scalar
                            ? "x = MathF.Min(MathF.Max(x, -7.90531110763549805f), 7.90531110763549805f);"
                            : "x = " + v + ".Min(" + v + ".Max(x, " + C("-7.90531110763549805f") + "), " + C("7.90531110763549805f") + ");");
                        _w.Line(t + " x2 = x * x;");
                        // Multiply-adds fused where the instruction set has FMA (the JIT folds the IsSupported checks).
                        string MulAdd(string a, string b, string c) => v switch
                        {
                            "Vector512" => "Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(" + a + ", " + b + ", " + c + ") : " + a + " * " + b + " + " + c,
                            "Vector256" => "Fma.IsSupported ? Fma.MultiplyAdd(" + a + ", " + b + ", " + c + ") : " + a + " * " + b + " + " + c,
                            "Vector128" => "Fma.IsSupported ? Fma.MultiplyAdd(" + a + ", " + b + ", " + c + ") : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(" + c + ", " + a + ", " + b + ") : " + a + " * " + b + " + " + c,
                            _ => a + " * " + b + " + " + c,
                        };
                        // Estrin's scheme in y = x²: the dependent chain is three multiplies/FMAs deep instead of Horner's six.
                        // Numerator x·(a1 + a3·y + … + a13·y⁶), denominator b0 + b2·y + b4·y² + b6·y³.
                        string A(int i) => C(TanhNumerator[TanhNumerator.Length - 1 - i]);   // a(2i+1)
                        string B(int i) => C(TanhDenominator[TanhDenominator.Length - 1 - i]); // b(2i)
                        _w.Line(t + " x4 = x2 * x2;");
                        _w.Line(t + " x8 = x4 * x4;");
                        _w.Line(t + " p01 = " + MulAdd(A(1), "x2", A(0)) + ";");
                        _w.Line(t + " p23 = " + MulAdd(A(3), "x2", A(2)) + ";");
                        _w.Line(t + " p45 = " + MulAdd(A(5), "x2", A(4)) + ";");
                        _w.Line(t + " p03 = " + MulAdd("p23", "x4", "p01") + ";");
                        _w.Line(t + " p46 = " + MulAdd(A(6), "x4", "p45") + ";");
                        _w.Line(t + " p = " + MulAdd("p46", "x8", "p03") + ";");
                        _w.Line("p *= x;");
                        _w.Line(t + " q01 = " + MulAdd(B(1), "x2", B(0)) + ";");
                        _w.Line(t + " q23 = " + MulAdd(B(3), "x2", B(2)) + ";");
                        _w.Line(t + " q = " + MulAdd("q23", "x4", "q01") + ";");
                        _w.Line("return p / q;");
                        _w.Close();
                        _w.Line();
                        _w.Line("// σ(x) = (1 + tanh(x/2)) / 2: half the tanh error; " + (scalar ? "scalar" : v) + " lanes.");
                        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                        _w.Line("private static " + t + " Sigmoid(" + t + " x) => " + C("0.5f") + " + " + C("0.5f") + " * Tanh(" + C("0.5f") + " * x);");
                        _w.Line();
                    }
                }
            }
        }
    }
}
