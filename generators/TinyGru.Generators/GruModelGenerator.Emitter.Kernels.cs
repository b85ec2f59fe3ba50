using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
            private static readonly Isa Portable = new Isa("Vector128", 4, "Vector128<float>", "Vector128", "Vector128.IsHardwareAccelerated", (a, b, c) => c + " + " + Factor(a) + " * " + Factor(b));
            private static readonly Isa Scalar = new Isa("Scalar", 1, "float", "", "true", (a, b, c) => c + " + " + Factor(a) + " * " + Factor(b));
            private static readonly Isa[] Paths = { Avx512, Avx2, Neon, Portable, Scalar };

            /// <summary>
            /// <paramref name="expression"/> as a factor of a product written with operators: in parentheses when it has a binary
            /// operator outside parentheses (<c>1f - z</c> times n must not read as <c>1f - z * n</c>).
            /// </summary>
            private static string Factor(string expression)
            {
                int depth = 0;
                for (int i = 0; i < expression.Length; i++)
                {
                    char c = expression[i];
                    if (c == '(')
                    {
                        depth++;
                    }
                    else if (c == ')')
                    {
                        depth--;
                    }
                    else if (depth == 0 && c == ' ' && i + 2 < expression.Length && expression[i + 2] == ' ' && "+-*/?".IndexOf(expression[i + 1]) >= 0)
                    {
                        return "(" + expression + ")";
                    }
                }

                return expression;
            }

            /// <summary>Panels processed together in a matrix–vector product: independent FMA chains.</summary>
            private const int PanelGroup = 4;

            private sealed partial class ClassWriter
            {
                /// <summary>The element-wise path for <paramref name="isa"/>: 512-bit only when Hp is a multiple of 16.</summary>
                private Isa Elementwise(Isa isa) => isa == Avx512 && _hp % 16 != 0 ? Avx2 : isa;

                /// <summary>The element type of the GRU weight data: <c>float</c>, or <c>sbyte</c> for int8 models.</summary>
                private string WeightType => _quantized ? "sbyte" : "float";

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
                                foreach (RecurrentProduct product in RecurrentProducts(s))
                                {
                                    WriteMatVec(isa, product.Name + "_" + isa.Name, "Wh" + s, _h, product.P0, product.P1, product.Bias, product.Comment);
                                }

                                WriteCell(isa, s);
                            }
                        }
                    }

                    if (_quantized)
                    {
                        WriteInt8Helpers();
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
                    if (_w8a8)
                    {
                        WriteIntegerMatVec(isa, name, matrix, k, p0, p1, bias, comment);
                        return;
                    }

                    _w.Line("// " + comment + " (" + isa.Name + "): rows " + N(p0 * 8) + " … " + N(p1 * 8 - 1) + ", " + N(k) + " columns" +
                            (_quantized ? "; int8 weights widened to float, each row's sum times its scale." : "."));
                    _w.Open("private static void " + name + "(ref float x, ref float y)");
                    _w.Line("ref " + WeightType + " w = ref MemoryMarshal.GetReference(" + matrix + ");");
                    if (_quantized)
                    {
                        _w.Line("ref float sc = ref MemoryMarshal.GetReference(S" + matrix.Substring(1) + ");");
                    }

                    if (bias is not null)
                    {
                        _w.Line("ref float b = ref MemoryMarshal.GetReference(" + bias + ");");
                    }

                    if (isa == Scalar)
                    {
                        _w.Line("for (int p = " + N(p0) + "; p < " + N(p1) + "; p++)");
                        _w.Open();
                        _w.Line("ref " + WeightType + " panel = ref Unsafe.Add(ref w, p * " + N(k * 8) + ");");
                        _w.Line("for (int j = 0; j < 8; j++)");
                        _w.Open();
                        _w.Line("float sum = " + (bias is null || _quantized ? "0f" : "Unsafe.Add(ref b, p * 8 + j)") + ";");
                        _w.Line("for (int k = 0; k < " + N(k) + "; k++)");
                        _w.Line("    sum += " + (_quantized ? "(float)" : "") + "Unsafe.Add(ref panel, k * 8 + j) * Unsafe.Add(ref x, k);");
                        _w.Line("Unsafe.Add(ref y, p * 8 + j) = " + (_quantized ? "sum * Unsafe.Add(ref sc, p * 8 + j)" + (bias is null ? "" : " + Unsafe.Add(ref b, p * 8 + j)") : "sum") + ";");
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
                        _w.Line("ref " + WeightType + " panel = ref Unsafe.Add(ref w, p * " + N(k * 8) + ");");
                        WritePanels(isa, PanelGroup, "p", k, bias is not null, 1, "x", "y", 0);
                        _w.Close();
                    }

                    if (count > full)
                    {
                        int p = p0 + full;
                        _w.Line("// The last " + N(count - full) + " panel(s).");
                        _w.Open();
                        _w.Line("ref " + WeightType + " panel = ref Unsafe.Add(ref w, " + N(p * k * 8) + ");");
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
                            _w.Line("ref " + WeightType + " wk = ref panel;");
                            _w.Line("for (int k = 0; k < " + N(k - 1) + "; k += 2, wk = ref Unsafe.Add(ref wk, 16))");
                            _w.Open();
                            for (int i = 0; i < panels; i++)
                            {
                                _w.Line("Vector512<float> w" + N(i) + " = " + (_quantized
                                    ? "Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref wk, " + N(i * k * 8) + ")))"
                                    : "Vector512.LoadUnsafe(ref wk, " + N(i * k * 8) + ")") + ";");
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
                                    string tail = _quantized
                                        ? "Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Load8(ref panel, " + N(i * k * 8 + (k - 1) * 8) + ")))"
                                        : "Vector256.LoadUnsafe(ref panel, " + N(i * k * 8 + (k - 1) * 8) + ")";
                                    _w.Line(sum + " = Fma.MultiplyAdd(" + tail + ", Vector256.Create(Unsafe.Add(ref " + X(s) + ", " + N(k - 1) + ")), " + sum + ");");
                                }

                                if (_quantized)
                                {
                                    _w.Line(sum + " *= Vector256.LoadUnsafe(ref sc, " + Row(i * 8) + ");");
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
                                string init = bias && !_quantized ? st + ".LoadUnsafe(ref b, " + Row(i * 8 + hv * isa.Width) + ")" : v + ".Zero";
                                _w.Line(v + " a" + N(s) + "_" + N(i) + "_" + N(hv) + " = " + init + ";");
                            }
                        }
                    }

                    _w.Line("ref " + WeightType + " wk = ref panel;");
                    _w.Line("for (int k = 0; k < " + N(k) + "; k++, wk = ref Unsafe.Add(ref wk, 8))");
                    _w.Open();
                    for (int i = 0; i < panels; i++)
                    {
                        if (_quantized && isa == Avx2)
                        {
                            // 8 int8 weights (one panel column) sign-extended to int32 and converted: vpmovsxbd + vcvtdq2ps.
                            _w.Line(v + " w" + N(i) + "_0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Load8(ref wk, " + N(i * k * 8) + ")));");
                        }
                        else if (_quantized)
                        {
                            // 8 int8 weights → 8 int16 → two halves of 4 int32 → float (sxtl/scvtf on NEON).
                            _w.Line("Vector128<short> w" + N(i) + " = Vector128.WidenLower(Load8(ref wk, " + N(i * k * 8) + "));");
                            _w.Line(v + " w" + N(i) + "_0 = Vector128.ConvertToSingle(Vector128.WidenLower(w" + N(i) + "));");
                            _w.Line(v + " w" + N(i) + "_1 = Vector128.ConvertToSingle(Vector128.WidenUpper(w" + N(i) + "));");
                        }
                        else
                        {
                            for (int hv = 0; hv < halves; hv++)
                            {
                                _w.Line(v + " w" + N(i) + "_" + N(hv) + " = " + st + ".LoadUnsafe(ref wk, " + N(i * k * 8 + hv * isa.Width) + ");");
                            }
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
                                string a = "a" + N(s) + "_" + N(i) + "_" + N(hv);
                                string row = Row(i * 8 + hv * isa.Width);
                                if (_quantized)
                                {
                                    _w.Line("(" + a + " * " + st + ".LoadUnsafe(ref sc, " + row + ")" + (bias ? " + " + st + ".LoadUnsafe(ref b, " + row + ")" : "") + ").StoreUnsafe(ref " + Y(s) + ", " + row + ");");
                                }
                                else
                                {
                                    _w.Line(a + ".StoreUnsafe(ref " + Y(s) + ", " + row + ");");
                                }
                            }
                        }
                    }
                }

                // The input projections of many steps as one matrix product: four steps share each weight load.
                private void WriteProject(Isa isa, string s, int k)
                {
                    _w.Line("// Input projection of `steps` steps (" + isa.Name + "): y[t] = W_ih·x[t] + b, four steps per pass over the weights.");
                    if (_w8a8)
                    {
                        SkipLocalsInit();
                    }

                    _w.Open("private static void Project" + s + "_" + isa.Name + "(ref float x, int steps, ref float y)");
                    _w.Line("int t = 0;");
                    if (isa != Scalar && !_w8a8)
                    {
                        _w.Line("ref " + WeightType + " w = ref MemoryMarshal.GetReference(Wx" + s + ");");
                        if (_quantized)
                        {
                            _w.Line("ref float sc = ref MemoryMarshal.GetReference(Sx" + s + ");");
                        }

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
                        _w.Line("ref " + WeightType + " panel = ref Unsafe.Add(ref w, p * " + N(k * 8) + ");");
                        WritePanels(isa, 1, "p", k, true, 4, "x", "y", _r);
                        _w.Close();
                        _w.Close();
                        _w.Line();
                    }

                    if (_w8a8 && (isa == Avx512 || isa == Avx2))
                    {
                        int k4 = Pad4(k);
                        _w.Line("if (AvxVnni.IsSupported)");
                        _w.Open();
                        _w.Line("// w8a8: each step's input quantized with its own dynamic scale, then four steps' dot products in one pass over W_ih.");
                        _w.Line("Span<sbyte> q = stackalloc sbyte[" + N(4 * k4) + "];");
                        _w.Line("for (; t + 4 <= steps; t += 4)");
                        _w.Open();
                        _w.Line("ref float x0 = ref Unsafe.Add(ref x, t * " + N(k) + ");");
                        _w.Line("ref float y0 = ref Unsafe.Add(ref y, t * GateRows);");
                        for (int t = 0; t < 4; t++)
                        {
                            _w.Line("float scale" + N(t) + " = QuantizeDynamic(" + (t == 0 ? "ref x0" : "ref Unsafe.Add(ref x0, " + N(t * k) + ")") + ", " + N(k) + ", q.Slice(" + N(t * k4) + ", " + N(k4) + "));");
                        }

                        _w.Line("DotProjectFour" + s + "_AvxVnni(ref MemoryMarshal.GetReference(q), ref Unsafe.As<float, int>(ref y0));");
                        for (int t = 0; t < 4; t++)
                        {
                            _w.Line("Rescale(" + (t == 0 ? "ref y0" : "ref Unsafe.Add(ref y0, " + N(t) + " * GateRows)") + ", 0, GateRows, Sx" + s + ", scale" + N(t) + ", Bx" + s + ");");
                        }

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
                    string one = scalar ? "1f" : v + ".One";

                    _w.Line("// One cell update (" + pathIsa.Name + "); element-wise work in " + (scalar ? "scalars" : N(step) + "-float vectors") + ".");
                    _w.Open("private static void Cell" + s + "_" + pathIsa.Name + "(ref float projection, ref float h, ref float recurrent)");
                    if (!_cho)
                    {
                        _w.Line("// recurrent = W_hh·h + b_hh for the three gates.");
                        _w.Line("Recurrent" + s + "_" + pathIsa.Name + "(ref h, ref recurrent);");
                        _w.Line("// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h' = (1 − z) ⊙ n + z ⊙ h (one multiply-add after n).");
                        _w.Line(loop);
                        _w.Open();
                        _w.Line(v + " r = Sigmoid(" + Load("projection", 0) + " + " + Load("recurrent", 0) + ");");
                        _w.Line(v + " z = Sigmoid(" + Load("projection", _hp) + " + " + Load("recurrent", _hp) + ");");
                        _w.Line(v + " n = Tanh(" + Load("projection", 2 * _hp) + " + r * " + Load("recurrent", 2 * _hp) + ");");
                        _w.Line(v + " old = " + Load("h", 0) + ";");
                        _w.Line(Store(isa.Fma(one + " - z", "n", "z * old"), "h", 0));
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
                        _w.Line("// h~ = tanh(x_h + U_h (r ⊙ h)), h' = (1 − z) ⊙ h + z ⊙ h~ (one multiply-add after h~).");
                        _w.Line(loop);
                        _w.Open();
                        _w.Line(v + " candidate = Tanh(" + Load("projection", 2 * _hp) + " + " + Load("recurrent", 2 * _hp) + ");");
                        _w.Line(v + " z = " + Load("recurrent", _hp) + ";");
                        _w.Line(v + " old = " + Load("h", 0) + ";");
                        _w.Line(Store(isa.Fma("z", "candidate", "(" + one + " - z) * old"), "h", 0));
                        _w.Close();
                    }

                    _w.Close();
                    _w.Line();
                }

                // Step of one layer for small models, all in registers: each gate's Hp rows are one vector (Hp = 8: 256-bit with
                // AVX2 + FMA; Hp = 16: 512-bit with AVX-512, its two 8-row weight panels joined per column). Column c of a panel
                // is the 8 rows' weights for input c, so a gate's column is one or two loads. The input's products come first
                // (they do not depend on h); the recurrent products are summed as a tree (column pairs, then pairwise adds) so
                // the chain from h to the gates is a multiply, an FMA and log2(H/2) adds (14 cycles for H = 16, against 19 for
                // four FMA chains and 64 for H dependent FMAs).
                private void WriteRegisterStep(int layer)
                {
                    string s = Suffix(layer, 0);
                    int k = K(layer);
                    Isa isa = RegisterStepIsa;
                    bool wide = isa == Avx512;
                    string v = isa.Statics;
                    string t = isa.Vector;
                    string[] gates = { "r", "z", "n" };
                    string Fma(string a, string b, string c) => isa.Fma(a, b, c);
                    string Rows(string data, int first) => wide
                        ? "Vector512.Create(Vector256.LoadUnsafe(ref " + data + ", " + N(first) + "), Vector256.LoadUnsafe(ref " + data + ", " + N(first + 8) + "))"
                        : "Vector256.LoadUnsafe(ref " + data + ", " + N(first) + ")";
                    string Weight(string matrix, int gate, int columns, int c) => wide
                        ? "Vector512.Create(Vector256.LoadUnsafe(ref " + matrix + ", " + N(2 * gate * columns * 8 + c * 8) + "), Vector256.LoadUnsafe(ref " + matrix + ", " + N((2 * gate + 1) * columns * 8 + c * 8) + "))"
                        : "Vector256.LoadUnsafe(ref " + matrix + ", " + N(gate * columns * 8 + c * 8) + ")";

                    _w.Line("// One step of layer " + N(layer) + " in registers (" + (wide ? "AVX-512" : "AVX2 + FMA") + ", Hp = " + N(_hp) + "): r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise,");
                    _w.Line("// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h; x is " + N(k) + " floats, h is Hp floats (updated in place).");
                    _w.Line("// Its own JIT root (never inlined): inlined into Step and Step into a caller, the five σ/tanh went over the JIT's");
                    _w.Line("// inlining budget and stayed calls with their vectors passed through memory (S1 benchmark 47 ns, against 34 ns so).");
                    _w.Line("[MethodImpl(MethodImplOptions.NoInlining)]");
                    _w.Open("private static void StepInRegisters" + s + "(ref float x, ref float h)");
                    // Straight to the literals' data, not through the sliced float spans (Cast + Slice): fewer inlinees.
                    foreach (string m in new[] { "Wx", "Wh", "Bx", "Bh" })
                    {
                        _w.Line("ref float " + m.ToLowerInvariant() + " = ref Unsafe.As<ulong, float>(ref MemoryMarshal.GetReference(" + m + s + "Bits));");
                    }

                    _w.Line("// The input's part (does not depend on h): b_ih + b_hh for r and z, b_ih for n, plus W_ih·x.");
                    for (int g = 0; g < 3; g++)
                    {
                        _w.Line(t + " x" + gates[g] + " = " + Rows("bx", g * _hp) + (g < 2 ? " + " + Rows("bh", g * _hp) : "") + ";");
                    }

                    for (int c = 0; c < k; c++)
                    {
                        _w.Open();
                        _w.Line(t + " input = " + v + ".Create(Unsafe.Add(ref x, " + N(c) + "));");
                        for (int g = 0; g < 3; g++)
                        {
                            _w.Line("x" + gates[g] + " = " + Fma(Weight("wx", g, k, c), "input", "x" + gates[g]) + ";");
                        }

                        _w.Close();
                    }

                    _w.Line("// The recurrent part as a tree, not a chain: columns in pairs (a multiply, then an FMA), the pairs added");
                    _w.Line("// pairwise; the first pair also takes the gate's start (r and z their input part, n b_hn).");
                    for (int c = 0; c < _h; c++)
                    {
                        _w.Line(t + " h" + N(c) + " = " + v + ".Create(Unsafe.Add(ref h, " + N(c) + "));");
                    }

                    string[] sums = new string[3];
                    for (int g = 0; g < 3; g++)
                    {
                        var pairs = new List<string>();
                        for (int c = 0; c < _h; c += 2)
                        {
                            string term = c == 0
                                ? Fma(Weight("wh", g, _h, 0), "h0", g < 2 ? "x" + gates[g] : Rows("bh", 2 * _hp))
                                : Weight("wh", g, _h, c) + " * h" + N(c);
                            string pair = "p" + gates[g] + N(c / 2);
                            _w.Line(t + " " + pair + " = " + (c + 1 < _h ? Fma(Weight("wh", g, _h, c + 1), "h" + N(c + 1), term) : term) + ";");
                            pairs.Add(pair);
                        }

                        sums[g] = Balanced(pairs, 0, pairs.Count);
                    }

                    // terms[from] + … + terms[to − 1] added as a balanced tree: (a + b) + (c + d), not ((a + b) + c) + d.
                    static string Balanced(List<string> terms, int from, int to)
                    {
                        int middle = (from + to) / 2;
                        return to - from == 1 ? terms[from] : Half(terms, from, middle) + " + " + Half(terms, middle, to);
                    }

                    static string Half(List<string> terms, int from, int to) => to - from == 1 ? terms[from] : "(" + Balanced(terms, from, to) + ")";

                    string Sum(string g) => sums[Array.IndexOf(gates, g)];

                    _w.Line("// The gates and the update; every read of h is above, so it can be overwritten.");
                    _w.Line("// r = 1/2 + rRatio ⊙ rNumerator goes into n's argument as (x_n + h_n/2) + rRatio ⊙ (rNumerator ⊙ h_n), and");
                    _w.Line("// n = nRatio ⊙ nNumerator into h' = (1 − z) ⊙ n + z ⊙ h as nRatio ⊙ (nNumerator ⊙ (1 − z)) + z ⊙ h: after each");
                    _w.Line("// division one FMA, the products beside it.");
                    _w.Line(t + " hn = " + Sum("n") + ";");
                    _w.Line(t + " rRatio = SigmoidFactors(" + Sum("r") + ", out " + t + " rNumerator);");
                    _w.Line(t + " z = Sigmoid(" + Sum("z") + ");");
                    _w.Line(t + " nRatio = TanhFactors(" + Fma("rRatio", "rNumerator * hn", Fma(v + ".Create(0.5f)", "hn", "xn")) + ", out " + t + " nNumerator);");
                    _w.Line(t + " old = " + v + ".LoadUnsafe(ref h);");
                    _w.Line(Fma("nRatio", "nNumerator * (" + t + ".One - z)", "z * old") + ".StoreUnsafe(ref h);");
                    _w.Close();
                    _w.Line();
                }

                // w8a8 matrix–vector product, same signature as the float one: quantize x to int8 (dynamic scale for inputs, 1/127 for
                // states), integer dot products into y's storage (as int32), then one float rescale (and bias) per row.
                private void WriteIntegerMatVec(Isa isa, string name, string matrix, int k, int p0, int p1, string? bias, string comment)
                {
                    bool input = matrix.StartsWith("Wx", StringComparison.Ordinal);
                    int k4 = Pad4(k);
                    _w.Line("// " + comment + " (" + isa.Name + "): rows " + N(p0 * 8) + " … " + N(p1 * 8 - 1) + ", " + N(k) + " columns; w8a8: x quantized to int8 " +
                            (input ? "with a dynamic scale" : "with the state scale 1/127") + ", int32 dot products, one float rescale per row.");
                    SkipLocalsInit();
                    _w.Open("private static void " + name + "(ref float x, ref float y)");
                    _w.Line("Span<sbyte> q = stackalloc sbyte[" + N(k4) + "];");
                    if (input)
                    {
                        _w.Line("float scale = QuantizeDynamic(ref x, " + N(k) + ", q);");
                    }
                    else
                    {
                        _w.Line("QuantizeState(ref x, " + N(k) + ", q);");
                        _w.Line("const float scale = StateScale;");
                    }

                    string dot = "(ref MemoryMarshal.GetReference(q), ref Unsafe.As<float, int>(ref y));";
                    string scales = "S" + matrix.Substring(1);
                    if (isa == Avx512 || isa == Avx2)
                    {
                        _w.Line("if (AvxVnni.IsSupported)");
                        _w.Open();
                        _w.Line("// The AVX-VNNI kernel rescales each row while its sum is still in a register.");
                        _w.Line("Dot" + name.Substring(0, name.Length - isa.Name.Length) + "AvxVnni(ref MemoryMarshal.GetReference(" + matrix +
                                "), ref MemoryMarshal.GetReference(q), ref Unsafe.As<float, int>(ref y), scale, " + scales + ", " + (bias ?? "default") + ");");
                        _w.Line("return;");
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("Dot" + name + dot);
                    _w.Line("Rescale(ref y, " + N(p0 * 8) + ", " + N(p1 * 8) + ", " + scales + ", scale, " + (bias ?? "default") + ");");
                    _w.Close();
                    _w.Line();
                    WriteIntegerDot(isa, "Dot" + name, matrix, k4, p0, p1);
                }

                // acc[p·8 + j] = Σ_k W[p·8 + j, k] · q[k] in int32 for panels [p0, p1) of a w8a8 matrix (groups of 4 columns, 8 rows × 4 bytes).
                // Integer sums are exact, so every path stores the same accumulators as the scalar one.
                private void WriteIntegerDot(Isa isa, string name, string matrix, int k4, int p0, int p1)
                {
                    int stride = k4 * 8;
                    const string Q4 = "Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref q, k)))";
                    string how = isa == Avx512 ? "vpmaddubsw(|x|, w xor sign(x)) (pairs ≤ 32,512: exact) + vpmaddwd(·, 1), two column groups or panels per 512-bit vector"
                        : isa == Avx2 ? "vpmaddubsw(|x|, w xor sign(x)) (pairs ≤ 32,512: exact) + vpmaddwd(·, 1), one panel per vector"
                        : isa == Neon ? "sdot (Dp, 4 int8 products per int32 lane) where the CPU has it, else smull/smull2 to int16 + sadalp"
                        : isa == Portable ? "widened to int16, multiplied (|q·w| ≤ 127² fits int16), widened to int32 and summed"
                        : "int multiply-adds";
                    _w.Line("// Integer dot products (" + isa.Name + ", " + how + "): acc[row] for rows " + N(p0 * 8) + " … " + N(p1 * 8 - 1) + ", " + N(k4) + " int8 columns.");
                    _w.Open("private static void " + name + "(ref sbyte q, ref int acc)");
                    WriteInterleavedNote(matrix, k4);
                    string baseName = name.Substring(0, name.Length - isa.Name.Length);
                    if (isa == Avx512)
                    {
                        _w.Line("if (!Avx512BW.IsSupported)");
                        _w.Open();
                        _w.Line(name.Substring(0, name.Length - isa.Name.Length) + Avx2.Name + "(ref q, ref acc);");
                        _w.Line("return;");
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("ref sbyte w = ref MemoryMarshal.GetReference(" + matrix + ");");
                    if (isa == Scalar)
                    {
                        foreach (PanelRun run in PanelRuns(k4, p0, p1, 1))
                        {
                            _w.Line("for (int p = " + N(run.From) + "; p < " + N(run.To) + "; p++)");
                            _w.Open();
                            _w.Line("ref sbyte panel = ref Unsafe.Add(ref w, " + run.Offset("p") + ");");
                            _w.Line("for (int j = 0; j < 8; j++)");
                            _w.Open();
                            _w.Line("int sum = 0;");
                            _w.Line("for (int k = 0; k < " + N(k4) + "; k++)");
                            _w.Line("    sum += Unsafe.Add(ref panel, (k >> 2) * " + N(run.ColumnStep) + " + j * 4 + (k & 3)) * Unsafe.Add(ref q, k);");
                            _w.Line("Unsafe.Add(ref acc, p * 8 + j) = sum;");
                            _w.Close();
                            _w.Close();
                        }

                        _w.Close();
                        _w.Line();
                        return;
                    }

                    if (isa == Portable)
                    {
                        foreach (PanelRun run in PanelRuns(k4, p0, p1, 1))
                        {
                            _w.Line("for (int p = " + N(run.From) + "; p < " + N(run.To) + "; p++)");
                            _w.Open();
                            _w.Line("ref sbyte wk = ref Unsafe.Add(ref w, " + run.Offset("p") + ");");
                            for (int j = 0; j < 8; j++)
                            {
                                _w.Line("Vector128<int> a" + N(j) + " = Vector128<int>.Zero;");
                            }

                            _w.Line("for (int k = 0; k < " + N(k4) + "; k += 4, wk = ref Unsafe.Add(ref wk, " + N(run.ColumnStep) + "))");
                            _w.Open();
                            _w.Line("Vector128<short> xk = Vector128.WidenLower(Vector128.Create(" + Q4 + ").AsSByte());");
                            _w.Line("Vector128<sbyte> w0 = Vector128.LoadUnsafe(ref wk), w1 = Vector128.LoadUnsafe(ref wk, 16);");
                            _w.Line("Vector128<short> p01 = Vector128.WidenLower(w0) * xk, p23 = Vector128.WidenUpper(w0) * xk;");
                            _w.Line("Vector128<short> p45 = Vector128.WidenLower(w1) * xk, p67 = Vector128.WidenUpper(w1) * xk;");
                            _w.Line("a0 += Vector128.WidenLower(p01); a1 += Vector128.WidenUpper(p01); a2 += Vector128.WidenLower(p23); a3 += Vector128.WidenUpper(p23);");
                            _w.Line("a4 += Vector128.WidenLower(p45); a5 += Vector128.WidenUpper(p45); a6 += Vector128.WidenLower(p67); a7 += Vector128.WidenUpper(p67);");
                            _w.Close();
                            _w.Line("ref int row = ref Unsafe.Add(ref acc, p * 8);");
                            for (int j = 0; j < 8; j++)
                            {
                                _w.Line("Unsafe.Add(ref row, " + N(j) + ") = Vector128.Sum(a" + N(j) + ");");
                            }

                            _w.Close();
                        }

                        _w.Close();
                        _w.Line();
                        return;
                    }

                    if (isa == Neon)
                    {
                        _w.Line("if (Dp.IsSupported)");
                        _w.Open();
                        WriteIntegerPanelLoops(isa, p0, p1, k4, dp: true);
                        _w.Close();
                        _w.Line("else");
                        _w.Open();
                        WriteIntegerPanelLoops(isa, p0, p1, k4, dp: false);
                        _w.Close();
                    }
                    else
                    {
                        if (isa == Avx512 || isa == Avx2)
                        {
                            _w.Line("// |x| and the sign masks once for all panels; every sum starts at Σ |x| over the negative x, which the −1 of");
                            _w.Line("// w xor 0xFF (= −w − 1) takes away again, |x| per such column.");
                            _w.Line("Span<sbyte> split = stackalloc sbyte[" + N(2 * k4) + "];");
                            _w.Line("ref sbyte magnitudes = ref MemoryMarshal.GetReference(split);");
                            _w.Line("ref sbyte signs = ref Unsafe.Add(ref magnitudes, " + N(k4) + ");");
                            _w.Line("int negatives = SplitSigns(ref q, " + N(k4) + ", ref magnitudes, ref signs);");
                        }

                        WriteIntegerPanelLoops(isa, p0, p1, k4, dp: false);
                    }

                    _w.Close();
                    _w.Line();
                    if (isa == Avx2)
                    {
                        WriteVnniDot(baseName + "AvxVnni", matrix, k4, p0, p1);
                        if (matrix.StartsWith("Wx", StringComparison.Ordinal))
                        {
                            WriteVnniDotFour("DotProjectFour" + matrix.Substring(2) + "_AvxVnni", matrix, k4, p0, p1);
                        }
                    }
                }

                // Four steps' integer dot products in one pass over the weights (the w8a8 input projection of a sequence): each
                // 32-byte weight load feeds four vpdpbusd, so W_ih streams from cache once per four steps instead of every step.
                private void WriteVnniDotFour(string name, string matrix, int k4, int p0, int p1)
                {
                    _w.Line("// Integer dot products of four steps (AvxVnni, vpdpbusd): acc[t · GateRows + row] = Σ_k W[row, k] · q[t · " + N(k4) + " + k] for t = 0 … 3,");
                    _w.Line("// rows " + N(p0 * 8) + " … " + N(p1 * 8 - 1) + "; two panels × four steps = eight accumulators. x is made unsigned as in the one-step kernel.");
                    WriteVnniEntry(name, matrix);
                    _w.Open("private static void " + name + "(ref sbyte w, ref sbyte q, ref int acc)");
                    WriteVnniGroups(matrix, k4, p0, p1, 2, null, (run, rotated, _) => WriteVnniFourPanels(run, k4, rotated));
                    _w.Close();
                    _w.Line();
                }

                // The kernel's entry on the model's own weights; the full form takes them as a reference (w), so a test can run it on
                // a copy at any alignment. `rest` completes the full form's arguments after acc, and `note` the comment over it.
                private void WriteVnniEntry(string name, string matrix, string rest = "", string note = "")
                {
                    _w.Line("private static void " + name + "(ref sbyte q, ref int acc) => " + name + "(ref MemoryMarshal.GetReference(" + matrix + "), ref q, ref acc" + rest + ");");
                    _w.Line();
                    _w.Line("// w: the first weight of " + matrix + " (or of a test's copy of it at another alignment)" + note + ".");
                }

                private void WriteVnniFourPanels(PanelRun run, int k4, bool rotated)
                {
                    int panels = run.Panels;
                    for (int i = 0; i < panels; i++)
                    {
                        if (rotated)
                        {
                            _w.Line("Vector256<int> a" + N(i) + "_0 = Vector256<int>.Zero, a" + N(i) + "_1 = Vector256<int>.Zero, a" + N(i) + "_2 = Vector256<int>.Zero, a" + N(i) + "_3 = Vector256<int>.Zero;");
                        }
                        else
                        {
                            _w.Line("Vector256<int> c" + N(i) + " = Vector256.LoadUnsafe(ref start, " + N(i * 8) + ");");
                            _w.Line("Vector256<int> a" + N(i) + "_0 = c" + N(i) + ", a" + N(i) + "_1 = c" + N(i) + ", a" + N(i) + "_2 = c" + N(i) + ", a" + N(i) + "_3 = c" + N(i) + ";");
                        }
                    }

                    WriteVnniColumns(k4, run, rotated, (activation, weights) =>
                    {
                        for (int t = 0; t < 4; t++)
                        {
                            _w.Line("Vector256<byte> x" + N(t) + " = " + activation(t * k4) + ";");
                        }

                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("Vector256<sbyte> w" + N(i) + " = " + weights(i) + ";");
                            for (int t = 0; t < 4; t++)
                            {
                                _w.Line("a" + N(i) + "_" + N(t) + " = AvxVnni.MultiplyWideningAndAdd(a" + N(i) + "_" + N(t) + ", x" + N(t) + ", w" + N(i) + ");");
                            }
                        }
                    });

                    for (int t = 0; t < 4; t++)
                    {
                        for (int i = 0; i < panels; i++)
                        {
                            int step = t;
                            string a = "a" + N(i) + "_" + N(t);
                            string at = t == 0 ? N(i * 8) : N(t) + " * GateRows + " + N(i * 8);
                            _w.Line((rotated ? "(" + Unrotated(run, i, j => "a" + N(j) + "_" + N(step)) + ")" : a) + ".StoreUnsafe(ref row, " + at + ");");
                        }
                    }
                }

                // Panel i's finished int32 sums from the rotated accumulators (accumulator(j) names panel j's): in the panel layout
                // its own, in the interleaved layout lanes ≥ b of its own and lanes < b of the next one's (the last panel's: the
                // first's); then the rows back in order, and the panel's correction added.
                private static string Unrotated(PanelRun run, int i, Func<int, string> accumulator)
                {
                    string rotated = !run.Interleaved || run.Panels == 1
                        ? accumulator(i)
                        : "Vector256.ConditionalSelect(behind, " + accumulator((i + 1) % run.Panels) + ", " + accumulator(i) + ")";
                    return "Avx2.PermuteVar8x32(" + rotated + ", unrotate) + Vector256.LoadUnsafe(ref start, " + N(i * 8) + ")";
                }

                /// <summary>Panels processed together by the AVX-VNNI dot product: eight independent vpdpbusd chains.</summary>
                private const int VnniPanelGroup = 8;

                // The AVX-VNNI form of an integer dot product, called by the AVX-512 and AVX2 ones when the CPU has AVX-VNNI.
                // vpdpbusd multiplies unsigned by signed bytes, four products per int32 lane summed straight into int32 (no int16
                // step, no saturation): one instruction per panel and column group, against vpmovsxbw + vpmaddwd + vpaddd.
                private void WriteVnniDot(string name, string matrix, int k4, int p0, int p1)
                {
                    string corrections = "C" + matrix.Substring(1);
                    _w.Line("// Integer dot products (AvxVnni, vpdpbusd: four u8 × s8 products added into each int32 lane, exact): acc[row] for rows " + N(p0 * 8) + " … " + N(p1 * 8 - 1) + ", " + N(k4) + " int8 columns.");
                    _w.Line("// x is made unsigned by flipping its sign bit (x + 128), and each row's sum starts at " + corrections + "[row] = −128 · Σ w: the result is Σ x · w.");
                    _w.Line("// With scales, the last step stores y[row] = acc[row] · (scales[row] · activationScale) + bias[row] into acc's storage, as");
                    _w.Line("// Rescale would after it (the same multiply, then add): the sums go from register to float without a trip through memory.");
                    WriteVnniEntry(name, matrix, ", 0f, default, default", "; empty scales: acc gets the int32 sums");
                    _w.Open("private static void " + name + "(ref sbyte w, ref sbyte q, ref int acc, float activationScale, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias)");
                    _w.Line("bool rescale = !scales.IsEmpty, hasBias = !bias.IsEmpty;");
                    _w.Line("ref float firstScale = ref MemoryMarshal.GetReference(scales);");
                    _w.Line("ref float firstBias = ref MemoryMarshal.GetReference(bias);");
                    _w.Line("Vector256<float> activation = Vector256.Create(activationScale);");
                    WriteVnniGroups(matrix, k4, p0, p1, VnniPanelGroup,
                        N(VnniPanelGroup) + " panels (" + N(VnniPanelGroup * 8) + " rows) at a time: independent accumulators hide vpdpbusd's latency.",
                        (run, rotated, firstRow) => WriteVnniPanels(run, k4, rotated, firstRow));
                    _w.Close();
                    _w.Line();
                }

                // What both AVX-VNNI kernels share: the alignment test, then for each form the panels in groups of `group` and the
                // rest; `panels` writes one group's accumulators, column loop and stores (with `panel`, `row` and `start` set; its
                // arguments are the run, whose Panels is the group's size, the form and the group's first row as an expression).
                //
                // Static data is only 8-byte aligned, so half the 32-byte weight loads of a panel cross a 64-byte cache line and
                // cost two cache accesses: the kernel's loop ran 1.2 vpdpbusd per cycle, against 1.6 on aligned data. When the weights
                // start m = 4·b bytes past a 32-byte boundary, the rotated form moves every load back to the boundary, so lane l of
                // a load holds row (l − b) mod 8 of one 32-byte column group for l ≥ b, and of the 32 bytes before it for l < b.
                // - Panel layout: the 32 bytes before are the same panel's column group before. So lanes < b take the activations of
                //   the group before (one vpermd per column group, shared by all panels), and one vpermd per panel puts the rows back
                //   in order. The last group's rows 8 − b … 7 are in the lanes < b of a load past it; those replace group 0's lanes
                //   < b (nothing before it), with the last group's activations, so they cost a blend, not a vpdpbusd per panel.
                // - Interleaved layout: the 32 bytes before a panel's column group are the previous panel's, of the same column
                //   group, so every load takes the same activations. A group of n panels loads n + 1 times per column group; the
                //   first load's lanes < b (the panel before the group) are replaced by the last load's (the group's last panel's
                //   rows 8 − b … 7). So accumulator i holds panel i's rows 0 … 7 − b in lanes ≥ b, and the previous panel's rows
                //   8 − b … 7 in lanes < b (accumulator 0: the last panel's); a blend and a vpermd per panel put them back.
                private void WriteVnniGroups(string matrix, int k4, int p0, int p1, int group, string? groupComment, Action<PanelRun, bool, string> panels)
                {
                    bool interleaved = IsInterleaved(k4);
                    WriteInterleavedNote(matrix, k4);
                    _w.Line("ref int correction = ref MemoryMarshal.GetReference(C" + matrix.Substring(1) + ");");
                    _w.Line("Vector256<int> signBits = Vector256.Create(unchecked((int)0x80808080));");
                    _w.Line("// Bytes past a 32-byte boundary (static data is 8-byte aligned): loads from there split cache lines, so they move back.");
                    _w.Line("nint misalignment = Unsafe.ByteOffset(ref Unsafe.NullRef<sbyte>(), ref w) & 31;");
                    _w.Line("if (misalignment == 0 || (misalignment & 3) != 0)");
                    _w.Open();
                    _w.Line("// Aligned (or not a whole number of int32 lanes off, which static data never is): loads as they fall.");
                    WriteVnniGroupLoops(k4, p0, p1, group, groupComment, rotated: false, panels);
                    _w.Close();
                    _w.Line("else");
                    _w.Open();
                    _w.Line(interleaved
                        ? "// Rotated loads (interleaved layout): lane l holds row (l − b) mod 8, of the panel before for lanes < b."
                        : "// Rotated loads: lane l holds row (l − b) mod 8, of the column group before for lanes < b.");
                    _w.Line("Vector256<int> b = Vector256.Create((int)misalignment >> 2);");
                    _w.Line("Vector256<int> behind = Vector256.LessThan(Vector256<int>.Indices, b);");
                    if (!interleaved)
                    {
                        _w.Line("Vector256<int> pick = behind + Vector256<int>.One;                         // int 0 (the group before) of a pair for lanes < b, else 1");
                    }

                    _w.Line("Vector256<int> unrotate = (Vector256<int>.Indices + b) & Vector256.Create(7); // row i is in lane (i + b) mod 8");
                    WriteVnniGroupLoops(k4, p0, p1, group, groupComment, rotated: true, panels);
                    _w.Close();
                }

                private void WriteVnniGroupLoops(int k4, int p0, int p1, int group, string? groupComment, bool rotated, Action<PanelRun, bool, string> panels)
                {
                    bool first = true;
                    foreach (PanelRun run in PanelRuns(k4, p0, p1, group))
                    {
                        if (run.Loop)
                        {
                            if (groupComment != null && first)
                            {
                                _w.Line("// " + groupComment);
                            }

                            _w.Line("for (int p = " + N(run.From) + "; p < " + N(run.To) + "; p += " + N(run.Panels) + ")");
                            _w.Open();
                            _w.Line("ref sbyte panel = ref Unsafe.Add(ref w, " + run.Offset("p") + ");");
                            _w.Line("ref int row = ref Unsafe.Add(ref acc, p * 8);");
                            _w.Line("ref int start = ref Unsafe.Add(ref correction, p * 8);");
                            panels(run, rotated, "p * 8");
                        }
                        else
                        {
                            int rest = run.Panels, p = run.From;
                            _w.Line(!first
                                ? (rest == 1 ? "// The last panel." : "// The last " + N(rest) + " panels.")
                                : (rest == 1 ? "// The only panel." : "// All " + N(rest) + " panels at once."));
                            _w.Open();
                            _w.Line("ref sbyte panel = ref Unsafe.Add(ref w, " + run.Offset(N(p)) + ");");
                            _w.Line("ref int row = ref Unsafe.Add(ref acc, " + N(p * 8) + ");");
                            _w.Line("ref int start = ref Unsafe.Add(ref correction, " + N(p * 8) + ");");
                            panels(run, rotated, N(p * 8));
                        }

                        _w.Close();
                        first = false;
                    }
                }

                private void WriteVnniPanels(PanelRun run, int k4, bool rotated, string firstRow)
                {
                    int panels = run.Panels;
                    for (int i = 0; i < panels; i++)
                    {
                        _w.Line("Vector256<int> a" + N(i) + " = " + (rotated ? "Vector256<int>.Zero;" : "Vector256.LoadUnsafe(ref start, " + N(i * 8) + ");"));
                    }

                    WriteVnniColumns(k4, run, rotated, (activation, weights) =>
                    {
                        _w.Line("Vector256<byte> xk = " + activation(0) + ";");
                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("a" + N(i) + " = AvxVnni.MultiplyWideningAndAdd(a" + N(i) + ", xk, " + weights(i) + ");");
                        }
                    });

                    if (rotated)
                    {
                        bool wraps = run.Interleaved && panels > 1;
                        if (wraps)
                        {
                            _w.Line("Vector256<int> wrap = a0; // lanes < b: the last panel's rows 8 − b … 7");
                        }

                        for (int i = 0; i < panels; i++)
                        {
                            int panel = i;
                            _w.Line("a" + N(i) + " = " + Unrotated(run, i, j => wraps && j == 0 && panel == panels - 1 ? "wrap" : "a" + N(j)) + ";");
                        }
                    }

                    _w.Line("if (rescale)");
                    _w.Open();
                    _w.Line("ref float rowScale = ref Unsafe.Add(ref firstScale, " + firstRow + ");");
                    _w.Line("ref float rowBias = ref Unsafe.Add(ref firstBias, " + firstRow + ");");
                    for (int i = 0; i < panels; i++)
                    {
                        string y = "y" + N(i);
                        _w.Line("Vector256<float> " + y + " = Vector256.ConvertToSingle(a" + N(i) + ") * (Vector256.LoadUnsafe(ref rowScale, " + N(i * 8) + ") * activation);");
                        _w.Line("(hasBias ? " + y + " + Vector256.LoadUnsafe(ref rowBias, " + N(i * 8) + ") : " + y + ").AsInt32().StoreUnsafe(ref row, " + N(i * 8) + ");");
                    }

                    _w.Close();
                    _w.Line("else");
                    _w.Open();
                    for (int i = 0; i < panels; i++)
                    {
                        _w.Line("a" + N(i) + ".StoreUnsafe(ref row, " + N(i * 8) + ");");
                    }

                    _w.Close();
                }

                // The column-group loop both AVX-VNNI kernels share, over `wk`: loads as they fall when aligned; rotated, in the panel
                // layout group 0 (blended with the load past the last group) and the groups after it, in the interleaved one a single
                // loop (WriteVnniGroups says why). `products(activation, weights)` writes one group's products, where
                // activation(input) is the expression for the unsigned activations of the input whose first value sits `input`
                // bytes into q, in the form this part of the loop needs, and weights(i) the one for panel i's 32 bytes.
                private void WriteVnniColumns(int k4, PanelRun run, bool rotated, Action<Func<int, string>, Func<int, string>> products)
                {
                    static string Read(string type, int input, string column) =>
                        "Unsafe.ReadUnaligned<" + type + ">(ref Unsafe.As<sbyte, byte>(ref " +
                        (input == 0 && column == "0" ? "q" : "Unsafe.Add(ref q, " + (input == 0 ? column : N(input) + " + " + column) + ")") + "))";
                    static string LoadAt(int offset) => "Vector256.LoadUnsafe(ref wk, " + N(offset) + ")";
                    Func<int, string> load = i => LoadAt(i * run.PanelStep);
                    string next = "wk = ref Unsafe.Add(ref wk, " + N(run.ColumnStep) + ")";
                    if (!rotated || run.Interleaved)
                    {
                        _w.Line(rotated ? "ref sbyte wk = ref Unsafe.Subtract(ref panel, misalignment);" : "ref sbyte wk = ref panel;");
                        _w.Line("for (int k = 0; k < " + N(k4) + "; k += 4, " + next + ")");
                        _w.Open();
                        // Rotated: the first panel's lanes < b from the load past the group's last panel.
                        Func<int, string> weights = !rotated ? load : i => i > 0 ? load(i)
                            : "Vector256.ConditionalSelect(behind.AsSByte(), " + load(run.Panels) + ", " + load(0) + ")";
                        products(input => "(Vector256.Create(" + Read("int", input, "k") + ") ^ signBits).AsByte()", weights);
                        _w.Close();
                        return;
                    }

                    _w.Line("ref sbyte wk = ref Unsafe.Subtract(ref panel, misalignment);");
                    _w.Line("// Column group 0: its lanes < b (the guard or the panel before) are replaced by those of the load past the panel's last");
                    _w.Line("// column group, which hold that group's rows 8 − b … 7, with that group's activations: no extra vpdpbusd for them.");
                    _w.Open();
                    products(
                        input => k4 == 4 // one column group: the last is the first
                            ? "(Vector256.Create(" + Read("int", input, "0") + ") ^ signBits).AsByte()"
                            : "(Vector256.ConditionalSelect(behind, Vector256.Create(" + Read("int", input, N(k4 - 4)) + "), Vector256.Create(" + Read("int", input, "0") + ")) ^ signBits).AsByte()",
                        i => "Vector256.ConditionalSelect(behind.AsSByte(), " + LoadAt(i * run.PanelStep + k4 * 8) + ", " + load(i) + ")");
                    _w.Close();
                    if (k4 > 4)
                    {
                        _w.Line("for (int k = 4; k < " + N(k4) + "; k += 4)");
                        _w.Open();
                        _w.Line(next + ";");
                        products(input => "(Avx2.PermuteVar8x32(Vector256.Create(" + Read("long", input, "k - 4") + ").AsInt32(), pick) ^ signBits).AsByte()", load);
                        _w.Close();
                    }
                }

                // Panels per group of the x64 integer kernels: eight independent accumulator chains (four 512-bit ones in the
                // interleaved layout, where a 512-bit vector holds two panels).
                private const int X64IntegerPanelGroup = 8;

                private void WriteIntegerPanelLoops(Isa isa, int p0, int p1, int k4, bool dp)
                {
                    int group = isa == Avx512 || isa == Avx2 ? X64IntegerPanelGroup : PanelGroup;
                    foreach (PanelRun run in PanelRuns(k4, p0, p1, group))
                    {
                        if (run.Loop)
                        {
                            _w.Line("for (int p = " + N(run.From) + "; p < " + N(run.To) + "; p += " + N(group) + ")");
                            _w.Open();
                            _w.Line("ref sbyte panel = ref Unsafe.Add(ref w, " + run.Offset("p") + ");");
                            _w.Line("ref int row = ref Unsafe.Add(ref acc, p * 8);");
                        }
                        else
                        {
                            _w.Open();
                            _w.Line("ref sbyte panel = ref Unsafe.Add(ref w, " + run.Offset(N(run.From)) + ");");
                            _w.Line("ref int row = ref Unsafe.Add(ref acc, " + N(run.From * 8) + ");");
                        }

                        if (isa == Avx512)
                        {
                            WriteAvx512IntegerPanels(run, k4);
                        }
                        else
                        {
                            WriteIntegerPanels(isa, run.Panels, run.PanelStep, run.ColumnStep, k4, dp);
                        }

                        _w.Close();
                    }
                }

                private void WriteIntegerPanels(Isa isa, int panels, int panelStep, int columnStep, int k4, bool dp)
                {
                    const string Q4 = "Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref q, k)))";
                    // Accumulators per panel: AVX2 one (8 rows), NEON sdot two (rows 0–3, 4–7), NEON without sdot four (row pairs ×
                    // 2 partial sums). AVX2 and AVX-512: the comment over WriteAvx512IntegerPanels says how.
                    int parts = isa == Avx2 ? 1 : dp ? 2 : 4;
                    string type = isa == Avx2 ? "Vector256<int>" : "Vector128<int>";
                    for (int i = 0; i < panels; i++)
                    {
                        for (int part = 0; part < parts; part++)
                        {
                            _w.Line(type + " a" + N(i) + "_" + N(part) + " = " + (isa == Avx2 ? "Vector256.Create(negatives);" : type + ".Zero;"));
                        }
                    }

                    if (isa == Avx2)
                    {
                        _w.Line("Vector256<short> ones = Vector256.Create((short)1);");
                        _w.Line("ref sbyte wk = ref panel;");
                        _w.Line("for (int k = 0; k < " + N(k4) + "; k += 4, wk = ref Unsafe.Add(ref wk, " + N(columnStep) + "))");
                        _w.Open();
                        _w.Line("Vector256<byte> magnitude = Vector256.Create(" + Read4("magnitudes") + ").AsByte();");
                        _w.Line("Vector256<sbyte> negative = Vector256.Create(" + Read4("signs") + ").AsSByte();");
                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("a" + N(i) + "_0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Vector256.LoadUnsafe(ref wk, " + N(i * panelStep) + ") ^ negative), ones);");
                        }

                        _w.Close();
                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("a" + N(i) + "_0.StoreUnsafe(ref row, " + N(i * 8) + ");");
                        }

                        return;
                    }

                    _w.Line("ref sbyte wk = ref panel;");
                    _w.Line("for (int k = 0; k < " + N(k4) + "; k += 4, wk = ref Unsafe.Add(ref wk, " + N(columnStep) + "))");
                    _w.Open();
                    if (dp)
                    {
                        _w.Line("Vector128<sbyte> xk = Vector128.Create(" + Q4 + ").AsSByte();");
                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("a" + N(i) + "_0 = Dp.DotProduct(a" + N(i) + "_0, Vector128.LoadUnsafe(ref wk, " + N(i * panelStep) + "), xk);");
                            _w.Line("a" + N(i) + "_1 = Dp.DotProduct(a" + N(i) + "_1, Vector128.LoadUnsafe(ref wk, " + N(i * panelStep + 16) + "), xk);");
                        }
                    }
                    else
                    {
                        _w.Line("Vector128<sbyte> xk = Vector128.Create(" + Q4 + ").AsSByte();");
                        _w.Line("Vector64<sbyte> xl = xk.GetLower();");
                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("Vector128<sbyte> w" + N(i) + "_0 = Vector128.LoadUnsafe(ref wk, " + N(i * panelStep) + "), w" + N(i) + "_1 = Vector128.LoadUnsafe(ref wk, " + N(i * panelStep + 16) + ");");
                            _w.Line("a" + N(i) + "_0 = AdvSimd.AddPairwiseWideningAndAdd(a" + N(i) + "_0, AdvSimd.MultiplyWideningLower(w" + N(i) + "_0.GetLower(), xl));");
                            _w.Line("a" + N(i) + "_1 = AdvSimd.AddPairwiseWideningAndAdd(a" + N(i) + "_1, AdvSimd.MultiplyWideningUpper(w" + N(i) + "_0, xk));");
                            _w.Line("a" + N(i) + "_2 = AdvSimd.AddPairwiseWideningAndAdd(a" + N(i) + "_2, AdvSimd.MultiplyWideningLower(w" + N(i) + "_1.GetLower(), xl));");
                            _w.Line("a" + N(i) + "_3 = AdvSimd.AddPairwiseWideningAndAdd(a" + N(i) + "_3, AdvSimd.MultiplyWideningUpper(w" + N(i) + "_1, xk));");
                        }
                    }

                    _w.Close();
                    for (int i = 0; i < panels; i++)
                    {
                        string a = "a" + N(i) + "_";
                        string at = N(i * 8);
                        if (dp)
                        {
                            _w.Line(a + "0.StoreUnsafe(ref row, " + at + ");");
                            _w.Line(a + "1.StoreUnsafe(ref row, " + N(i * 8 + 4) + ");");
                        }
                        else
                        {
                            _w.Line("AdvSimd.Arm64.AddPairwise(" + a + "0, " + a + "1).StoreUnsafe(ref row, " + at + ");");
                            _w.Line("AdvSimd.Arm64.AddPairwise(" + a + "2, " + a + "3).StoreUnsafe(ref row, " + N(i * 8 + 4) + ");");
                        }
                    }
                }

                // The x64 integer products without AVX-VNNI (AVX2 and AVX-512BW). vpmaddubsw multiplies unsigned by signed bytes and
                // adds adjacent products into int16 with saturation, so it gets |x| (≤ 127) as the unsigned operand and w xor s as
                // the signed one, s = 0xFF where x < 0 (else 0): w xor 0xFF = −w − 1, so each pair is |x0|·b0 + |x1|·b1 with
                // |b| ≤ 128, at most 2 · 127 · 128 = 32,512 < 32,767 (no saturation: exact, for any int8 w, −128 included). The
                // product in a negative x's column is |x| · (−w − 1) = x · w − |x| instead of x · w, so every row's sum starts at
                // +Σ |x| over the negative x (`negatives`, the same for all rows; SplitSigns computes it with |x| and s, once per
                // product) and comes out as Σ x · w. vpmaddwd with ones adds each row's two int16 pairs into its int32 lane. Per
                // vector: a load, xor, vpmaddubsw, vpmaddwd and vpaddd; the sign goes onto the weights with one xor, where vpsignb
                // (no 512-bit form) and vpmovsxbw + vpmaddwd measured slower on Zen 4 (generator README, "int8").
                //
                // AVX-512: a 512-bit load takes 64 bytes. In the panel layout those are two column groups of one panel, so the
                // activations are columns k … k + 3 in the low half and k + 4 … k + 7 in the high half, and the halves are added
                // at the end (a last odd column group takes a 256-bit step). In the interleaved layout they are one column group of
                // two panels, with the same activations in both halves, and the vector holds 16 rows in order (an odd last panel
                // takes 256-bit steps).
                private void WriteAvx512IntegerPanels(PanelRun run, int k4)
                {
                    int panels = run.Panels;
                    _w.Line("ref sbyte wk = ref panel;");
                    if (!run.Interleaved)
                    {
                        int k8 = k4 / 8 * 8;
                        if (k8 > 0)
                        {
                            _w.Line("Vector512<short> ones = Vector512.Create((short)1);");
                            _w.Line("Vector512<int> start = Vector512.Create(Vector256.Create(negatives), Vector256<int>.Zero); // the halves are added at the end");
                            for (int i = 0; i < panels; i++)
                            {
                                _w.Line("Vector512<int> a" + N(i) + " = start;");
                            }

                            _w.Line("// Low half: columns k … k + 3 of each row; high half: k + 4 … k + 7.");
                            _w.Line("Vector512<int> halves = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);");
                            _w.Line("for (int k = 0; k < " + N(k8) + "; k += 8, wk = ref Unsafe.Add(ref wk, 64))");
                            _w.Open();
                            _w.Line("Vector512<byte> magnitude = Avx512F.PermuteVar16x32(Vector512.CreateScalarUnsafe(" + Read8("magnitudes") + ").AsInt32(), halves).AsByte();");
                            _w.Line("Vector512<sbyte> negative = Avx512F.PermuteVar16x32(Vector512.CreateScalarUnsafe(" + Read8("signs") + ").AsInt32(), halves).AsSByte();");
                            WriteAvx512XorProducts(panels, i => N(i * run.PanelStep), i => "a" + N(i));
                            _w.Close();
                            for (int i = 0; i < panels; i++)
                            {
                                _w.Line("Vector256<int> s" + N(i) + " = a" + N(i) + ".GetLower() + a" + N(i) + ".GetUpper();");
                            }
                        }
                        else
                        {
                            for (int i = 0; i < panels; i++)
                            {
                                _w.Line("Vector256<int> s" + N(i) + " = Vector256.Create(negatives);");
                            }
                        }

                        if (k4 > k8)
                        {
                            _w.Line("// " + (k8 > 0 ? "The last column group, " : "The only column group, ") + N(k8) + " … " + N(k4 - 1) + ", in 256 bits.");
                            _w.Open();
                            _w.Line("const int k = " + N(k8) + ";");
                            WriteAvx2XorTail(panels, i => N(i * run.PanelStep), i => "s" + N(i));
                            _w.Close();
                        }

                        for (int i = 0; i < panels; i++)
                        {
                            _w.Line("s" + N(i) + ".StoreUnsafe(ref row, " + N(i * 8) + ");");
                        }

                        return;
                    }

                    // Interleaved: panels 2j and 2j + 1 side by side in one 64-byte load.
                    int pairs = panels / 2;
                    bool odd = panels % 2 == 1;
                    if (pairs > 0)
                    {
                        _w.Line("Vector512<short> ones = Vector512.Create((short)1);");
                        _w.Line("Vector512<int> start = Vector512.Create(negatives);");
                    }

                    for (int j = 0; j < pairs; j++)
                    {
                        _w.Line("Vector512<int> a" + N(j) + " = start;");
                    }

                    if (odd)
                    {
                        _w.Line("Vector256<int> last = Vector256.Create(negatives);");
                    }

                    _w.Line("for (int k = 0; k < " + N(k4) + "; k += 4, wk = ref Unsafe.Add(ref wk, " + N(run.ColumnStep) + "))");
                    _w.Open();
                    if (pairs > 0)
                    {
                        _w.Line("Vector512<byte> magnitude = Vector512.Create(" + Read4("magnitudes") + ").AsByte();");
                        _w.Line("Vector512<sbyte> negative = Vector512.Create(" + Read4("signs") + ").AsSByte();");
                        WriteAvx512XorProducts(pairs, j => N(2 * j * run.PanelStep), j => "a" + N(j));
                    }

                    if (odd)
                    {
                        WriteAvx2XorTail(1, _ => N((panels - 1) * run.PanelStep), _ => "last");
                    }

                    _w.Close();
                    for (int j = 0; j < pairs; j++)
                    {
                        _w.Line("a" + N(j) + ".StoreUnsafe(ref row, " + N(j * 16) + ");");
                    }

                    if (odd)
                    {
                        _w.Line("last.StoreUnsafe(ref row, " + N((panels - 1) * 8) + ");");
                    }
                }

                // One 512-bit step of the xor-sign products (WriteAvx512IntegerPanels), with `magnitude` and `negative` laid out as the
                // weight vectors are.
                private void WriteAvx512XorProducts(int vectors, Func<int, string> offset, Func<int, string> accumulator)
                {
                    for (int i = 0; i < vectors; i++)
                    {
                        _w.Line(accumulator(i) + " += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(magnitude, Vector512.LoadUnsafe(ref wk, " + offset(i) +
                                ") ^ negative), ones);");
                    }
                }

                // Columns k … k + 3 (Read4) or k … k + 7 (Read8) of the split activations `array` (magnitudes or signs) as one integer.
                private static string Read4(string array) => "Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref " + array + ", k)))";

                private static string Read8(string array) => "Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref " + array + ", k)))";

                // One 256-bit step of the xor-sign products at column k (wk at its column group), into 256-bit accumulators.
                private void WriteAvx2XorTail(int vectors, Func<int, string> offset, Func<int, string> accumulator)
                {
                    _w.Line("Vector256<byte> tailMagnitude = Vector256.Create(" + Read4("magnitudes") + ").AsByte();");
                    _w.Line("Vector256<sbyte> tailNegative = Vector256.Create(" + Read4("signs") + ").AsSByte();");
                    _w.Line("Vector256<short> tailOnes = Vector256.Create((short)1);");
                    for (int i = 0; i < vectors; i++)
                    {
                        _w.Line(accumulator(i) + " += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(tailMagnitude, Vector256.LoadUnsafe(ref wk, " + offset(i) +
                                ") ^ tailNegative), tailOnes);");
                    }
                }

                // Helpers shared by the int8 kernels: the 8-byte load, and for w8a8 the quantizers, the rescale and the test hooks.
                private void WriteInt8Helpers()
                {
                    _w.Line("// Eight int8 weights (one panel column) into the low half of a vector.");
                    _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                    _w.Line("private static Vector128<sbyte> Load8(ref sbyte p, nuint offset) => Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref p, offset)))).AsSByte();");
                    _w.Line();
                    if (!_w8a8)
                    {
                        return;
                    }

                    string[] lines =
                    {
                        "// The fixed quantization scale of the hidden state (|h| ≤ 1): q = round(h · 127).",
                        "private const float StateScale = 1f / 127f;",
                        "",
                        "// w8a8 input quantization, per step: m = max|x|, q = round_half_even(x · (127 / m)) clamped to ±127, returns the scale m / 127",
                        "// (a zero vector gives q = 0 and scale 0). q past `count` (padding to whole groups of 4 columns) is zeroed.",
                        "private static float QuantizeDynamic(ref float x, int count, Span<sbyte> q)",
                        "{",
                        "    float max = 0f;",
                        "    int k = 0;",
                        "    if (Avx.IsSupported && count >= 8)",
                        "    {",
                        "        // vmaxps (|x| has no −0 to order) drops NaNs, so they are tracked on the side: any NaN makes the scale NaN, as in",
                        "        // the scalar code, and the output NaN rather than quietly wrong.",
                        "        Vector256<float> m = Vector256<float>.Zero, nan = Vector256<float>.Zero, magnitude = Vector256.Create(0x7FFFFFFF).AsSingle();",
                        "        for (; k + 8 <= count; k += 8)",
                        "        {",
                        "            Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)k);",
                        "            m = Avx.Max(m, v & magnitude);",
                        "            nan |= Avx.CompareUnordered(v, v);",
                        "        }",
                        "",
                        "        Vector128<float> m4 = Sse.Max(m.GetLower(), m.GetUpper());",
                        "        m4 = Sse.Max(m4, Sse.MoveHighToLow(m4, m4));",
                        "        max = nan == Vector256<float>.Zero ? MathF.Max(m4.ToScalar(), m4.GetElement(1)) : float.NaN;",
                        "    }",
                        "    else if (Vector128.IsHardwareAccelerated)",
                        "    {",
                        "        Vector128<float> m = Vector128<float>.Zero;",
                        "        for (; k + 4 <= count; k += 4)",
                        "            m = Vector128.Max(m, Vector128.Abs(Vector128.LoadUnsafe(ref x, (nuint)k)));",
                        "        max = MathF.Max(MathF.Max(m.GetElement(0), m.GetElement(1)), MathF.Max(m.GetElement(2), m.GetElement(3)));",
                        "    }",
                        "",
                        "    for (; k < count; k++)",
                        "        max = MathF.Max(max, MathF.Abs(Unsafe.Add(ref x, k)));",
                        "    if (max == 0f)",
                        "    {",
                        "        q.Clear();",
                        "        return 0f;",
                        "    }",
                        "",
                        "    Quantize(ref x, count, 127f / max, q);",
                        "    return max / 127f;",
                        "}",
                        "",
                        "// w8a8 state quantization: q = round_half_even(h · 127) clamped to ±127 (scale StateScale); q past `count` is zeroed.",
                        "private static void QuantizeState(ref float h, int count, Span<sbyte> q) => Quantize(ref h, count, 127f, q);",
                        "",
                        "// For the x64 kernels without AVX-VNNI, which multiply |q| (as u8) by w xor s (as s8), s = −1 where q < 0, else 0: writes",
                        "// |q[k]| to magnitudes and s to signs for k < count, and returns Σ |q[k]| over the negative q[k], where every row's sum",
                        "// starts (|q| · (w xor −1) = |q| · (−w − 1) = q · w − |q| in such a column; the start gives the |q| back).",
                        "private static int SplitSigns(ref sbyte q, int count, ref sbyte magnitudes, ref sbyte signs)",
                        "{",
                        "    int k = 0, sum = 0;",
                        "    if (Avx2.IsSupported)",
                        "    {",
                        "        // The negative sum: the magnitudes masked by the signs, added eight bytes at a time by vpsadbw into 64-bit lanes.",
                        "        Vector256<ulong> sums = Vector256<ulong>.Zero;",
                        "        for (; k + 32 <= count; k += 32)",
                        "        {",
                        "            Vector256<sbyte> v = Vector256.LoadUnsafe(ref q, (nuint)k);",
                        "            Vector256<sbyte> magnitude = Vector256.Abs(v), negative = Vector256.LessThan(v, Vector256<sbyte>.Zero);",
                        "            magnitude.StoreUnsafe(ref magnitudes, (nuint)k);",
                        "            negative.StoreUnsafe(ref signs, (nuint)k);",
                        "            sums += Avx2.SumAbsoluteDifferences((magnitude & negative).AsByte(), Vector256<byte>.Zero).AsUInt64();",
                        "        }",
                        "",
                        "        sum = (int)Vector256.Sum(sums);",
                        "    }",
                        "",
                        "    for (; k < count; k++)",
                        "    {",
                        "        int v = Unsafe.Add(ref q, k);",
                        "        Unsafe.Add(ref magnitudes, k) = (sbyte)Math.Abs(v);",
                        "        Unsafe.Add(ref signs, k) = (sbyte)(v < 0 ? -1 : 0);",
                        "        sum -= Math.Min(v, 0);",
                        "    }",
                        "",
                        "    return sum;",
                        "}",
                        "",
                        "// q[k] = clamp(round_half_even(x[k] · multiplier), −127, 127): float multiply, then rounding; identical in vectors and scalars.",
                        "private static void Quantize(ref float x, int count, float multiplier, Span<sbyte> q)",
                        "{",
                        "    ref sbyte d = ref MemoryMarshal.GetReference(q);",
                        "    int k = 0;",
                        "    if (Avx2.IsSupported)",
                        "    {",
                        "        // 16 values per pass: vroundps (to even), NaN → 0 (the scalar conversion's result), vmaxps/vminps, vcvtps2dq (exact:",
                        "        // whole numbers in ±127), then two packs and a dword permute (packs work per 128-bit lane) put the 16 bytes in order.",
                        "        Vector256<float> f = Vector256.Create(multiplier), lo = Vector256.Create(-127f), hi = Vector256.Create(127f);",
                        "        Vector256<int> order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);",
                        "        for (; k + 16 <= count; k += 16)",
                        "        {",
                        "            Vector256<float> u = Avx.RoundToNearestInteger(Vector256.LoadUnsafe(ref x, (nuint)k) * f);",
                        "            Vector256<float> v = Avx.RoundToNearestInteger(Vector256.LoadUnsafe(ref x, (nuint)(k + 8)) * f);",
                        "            Vector256<int> a = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(u & Avx.CompareOrdered(u, u), lo), hi));",
                        "            Vector256<int> b = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(v & Avx.CompareOrdered(v, v), lo), hi));",
                        "            Vector256<short> s = Avx2.PackSignedSaturate(a, b);",
                        "            Vector256<sbyte> bytes = Avx2.PackSignedSaturate(s, s);",
                        "            Avx2.PermuteVar8x32(bytes.AsInt32(), order).GetLower().AsSByte().StoreUnsafe(ref d, (nuint)k);",
                        "        }",
                        "    }",
                        "",
                        "    if (Sse41.IsSupported || AdvSimd.IsSupported)",
                        "    {",
                        "        Vector128<float> f = Vector128.Create(multiplier), lo = Vector128.Create(-127f), hi = Vector128.Create(127f);",
                        "        for (; k + 8 <= count; k += 8)",
                        "        {",
                        "            Vector128<int> a = Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(RoundHalfEven(Vector128.LoadUnsafe(ref x, (nuint)k) * f), lo), hi));",
                        "            Vector128<int> b = Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(RoundHalfEven(Vector128.LoadUnsafe(ref x, (nuint)(k + 4)) * f), lo), hi));",
                        "            Vector128<short> s = Vector128.Narrow(a, b);",
                        "            Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref d, k)), Vector128.Narrow(s, s).AsInt64().ToScalar());",
                        "        }",
                        "    }",
                        "",
                        "    for (; k < count; k++)",
                        "        Unsafe.Add(ref d, k) = (sbyte)MathF.Min(MathF.Max(MathF.Round(Unsafe.Add(ref x, k) * multiplier, MidpointRounding.ToEven), -127f), 127f);",
                        "    if (count < q.Length)",
                        "        q.Slice(count).Clear();",
                        "}",
                        "",
                        "// Round half to even (roundps imm 8 / frintn).",
                        "[MethodImpl(MethodImplOptions.AggressiveInlining)]",
                        "private static Vector128<float> RoundHalfEven(Vector128<float> v) => Sse41.IsSupported ? Sse41.RoundToNearestInteger(v) : AdvSimd.RoundToNearest(v);",
                        "",
                        "// y[j] = acc[j] · (scales[j] · activationScale) + bias[j] for rows start … end − 1, where acc is y's storage read as int32.",
                        "// A multiply then an add (never fused) in every width: the same floats on every path, and the formula of the w8a8 definition.",
                        "private static void Rescale(ref float y, int start, int end, ReadOnlySpan<float> scales, float activationScale, ReadOnlySpan<float> bias)",
                        "{",
                        "    ref int acc = ref Unsafe.As<float, int>(ref y);",
                        "    ref float s = ref MemoryMarshal.GetReference(scales);",
                        "    ref float b = ref MemoryMarshal.GetReference(bias);",
                        "    bool hasBias = !bias.IsEmpty;",
                        "    nuint j = (nuint)start;",
                        "    if (Vector256.IsHardwareAccelerated)",
                        "    {",
                        "        Vector256<float> a = Vector256.Create(activationScale);",
                        "        for (; j < (nuint)end; j += 8)",
                        "        {",
                        "            Vector256<float> v = Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref acc, j)) * (Vector256.LoadUnsafe(ref s, j) * a);",
                        "            (hasBias ? v + Vector256.LoadUnsafe(ref b, j) : v).StoreUnsafe(ref y, j);",
                        "        }",
                        "    }",
                        "    else if (Vector128.IsHardwareAccelerated)",
                        "    {",
                        "        Vector128<float> a = Vector128.Create(activationScale);",
                        "        for (; j < (nuint)end; j += 4)",
                        "        {",
                        "            Vector128<float> v = Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref acc, j)) * (Vector128.LoadUnsafe(ref s, j) * a);",
                        "            (hasBias ? v + Vector128.LoadUnsafe(ref b, j) : v).StoreUnsafe(ref y, j);",
                        "        }",
                        "    }",
                        "",
                        "    for (; j < (nuint)end; j++)",
                        "    {",
                        "        float v = Unsafe.Add(ref acc, j) * (Unsafe.Add(ref s, j) * activationScale);",
                        "        Unsafe.Add(ref y, j) = hasBias ? v + Unsafe.Add(ref b, j) : v;",
                        "    }",
                        "}",
                        "",
                        "// Test hooks (internal): the w8a8 quantizers as the kernels run them.",
                        "internal static float QuantizeInputForTests(ReadOnlySpan<float> x, Span<sbyte> q) => QuantizeDynamic(ref MemoryMarshal.GetReference(x), x.Length, q);",
                        "",
                        "internal static void QuantizeStateForTests(ReadOnlySpan<float> h, Span<sbyte> q) => QuantizeState(ref MemoryMarshal.GetReference(h), h.Length, q);",
                        "",
                    };
                    foreach (string line in lines)
                    {
                        _w.Line(line);
                    }

                    WriteAccumulatorHook();
                }

                // The integer dot kernels (without the path suffix) that make up W_hh's product of a layer and direction: Cho's
                // convention splits it in two (r and z rows first, n rows after the reset).
                private string[] RecurrentDots(string s) => Array.ConvertAll(RecurrentProducts(s), product => "Dot" + product.Name);

                // W_hh's products of a layer and direction (without the path suffix): panels [P0, P1) and the bias added with the rescale.
                private RecurrentProduct[] RecurrentProducts(string s) => _cho
                    ? new[]
                    {
                        new RecurrentProduct("RecurrentRz" + s, 0, 2 * _hp / 8, null, "y[r, z rows] = U_r·h, U_z·h (biases are in the input projection)"),
                        new RecurrentProduct("RecurrentN" + s, 2 * _hp / 8, _r / 8, null, "y[n rows] = U_h·(r ⊙ h)"),
                    }
                    : new[] { new RecurrentProduct("Recurrent" + s, 0, _r / 8, "Bh" + s, "y = W_hh·h + b_hh for all three gates") };

                // One of W_hh's products: its kernel name (without the path suffix), panels [P0, P1), the bias its rescale adds (null:
                // none) and the comment over its method.
                private sealed record RecurrentProduct(string Name, int P0, int P1, string? Bias, string Comment);

                // Test hook: one matrix's int32 accumulators on an explicitly chosen path, so tests compare every path this CPU has
                // with the scalar one in a single process.
                private void WriteAccumulatorHook()
                {
                    string[] paths = { "avxvnni", "avx512", "avx2", "advsimd", "vector128", "scalar" };
                    string[] conditions = { "AvxVnni.IsSupported", "Avx512BW.IsSupported", "Avx2.IsSupported", "AdvSimd.IsSupported", "true", "true" };
                    string[] suffixes = { "AvxVnni", Avx512.Name, Avx2.Name, Neon.Name, Portable.Name, Scalar.Name };
                    _w.Line("// Test hook (internal): the int32 accumulators acc[row] = Σ W[row, k] · q[k] of `matrix` (Wx or Wh + layer suffix, e.g. WxL0, WhL1R)");
                    _w.Line("// computed by the kernels of `path` (avxvnni, avx512, avx2, advsimd, vector128, scalar); false when this CPU lacks the path.");
                    _w.Line("// q holds the matrix's columns padded to a multiple of 4 (padding zero); acc receives GateRows values.");
                    _w.Open("internal static bool IntegerAccumulatorsForTests(string matrix, string path, ReadOnlySpan<sbyte> q, Span<int> acc)");
                    _w.Line("if (acc.Length < GateRows)");
                    _w.Line("    throw new ArgumentException(\"acc must hold GateRows values\", nameof(acc));");
                    _w.Line("ref sbyte qr = ref MemoryMarshal.GetReference(q);");
                    _w.Line("ref int ar = ref MemoryMarshal.GetReference(acc);");
                    ForEachMatrix((s, k4) =>
                    {
                        foreach (string m in new[] { "Wx", "Wh" })
                        {
                            int columns = m == "Wx" ? k4 : Pad4(_h);
                            string[] dots = m == "Wx" ? new[] { "DotProjectOne" + s } : RecurrentDots(s);
                            _w.Line("if (matrix == \"" + m + s + "\")");
                            _w.Open();
                            _w.Line("if (q.Length < " + N(columns) + ")");
                            _w.Line("    throw new ArgumentException(\"q must hold " + N(columns) + " values\", nameof(q));");
                            for (int i = 0; i < paths.Length; i++)
                            {
                                _w.Line("if (path == \"" + paths[i] + "\")");
                                _w.Open();
                                if (conditions[i] != "true")
                                {
                                    _w.Line("if (!" + conditions[i] + ")");
                                    _w.Line("    return false;");
                                }

                                foreach (string dot in dots)
                                {
                                    _w.Line(dot + "_" + suffixes[i] + "(ref qr, ref ar);");
                                }

                                _w.Line("return true;");
                                _w.Close();
                            }

                            _w.Close();
                        }
                    });
                    _w.Line("throw new ArgumentException($\"unknown matrix {matrix} or path {path}\");");
                    _w.Close();
                    _w.Line();
                    WriteVnniOffsetHook();
                }

                // Test hooks: the AVX-VNNI kernels on a copy of a matrix placed `offset` bytes past a 32-byte boundary, between guards of
                // nonzero bytes, so a test covers every alignment the kernels handle, not only the one this build's data has.
                private void WriteVnniOffsetHook()
                {
                    _w.Line("// Test hook (internal): as IntegerAccumulatorsForTests on the avxvnni path, with the matrix copied to `offset` bytes past a");
                    _w.Line("// 32-byte boundary between 32-byte guards of 0x5A (the kernels must not depend on them). steps = 4 runs W_ih's four-step kernel:");
                    _w.Line("// q then holds four padded inputs and acc four times GateRows values. False when this CPU lacks AVX-VNNI.");
                    _w.Open("internal static bool VnniAccumulatorsAtOffsetForTests(string matrix, int offset, int steps, ReadOnlySpan<sbyte> q, Span<int> acc)");
                    _w.Line("if (!AvxVnni.IsSupported)");
                    _w.Line("    return false;");
                    _w.Line("if (steps != 1 && steps != 4)");
                    _w.Line("    throw new ArgumentOutOfRangeException(nameof(steps), \"steps must be 1 or 4\");");
                    _w.Line("ref sbyte w = ref WeightsAtOffset(matrix, offset);");
                    _w.Line("ref sbyte qr = ref MemoryMarshal.GetReference(q);");
                    _w.Line("ref int ar = ref MemoryMarshal.GetReference(acc);");
                    ForEachMatrix((s, k4) =>
                    {
                        _w.Line("if (matrix == \"Wx" + s + "\")");
                        _w.Open();
                        _w.Line("if (q.Length < steps * " + N(k4) + " || acc.Length < steps * GateRows)");
                        _w.Line("    throw new ArgumentException(\"q must hold steps · " + N(k4) + " values and acc steps · GateRows\");");
                        _w.Line("if (steps == 4)");
                        _w.Line("    DotProjectFour" + s + "_AvxVnni(ref w, ref qr, ref ar);");
                        _w.Line("else");
                        _w.Line("    DotProjectOne" + s + "_AvxVnni(ref w, ref qr, ref ar, 0f, default, default);");
                        _w.Line("return true;");
                        _w.Close();
                        _w.Line("if (matrix == \"Wh" + s + "\")");
                        _w.Open();
                        _w.Line("if (q.Length < " + N(Pad4(_h)) + " || acc.Length < GateRows || steps != 1)");
                        _w.Line("    throw new ArgumentException(\"W_hh: q must hold " + N(Pad4(_h)) + " values, acc GateRows, and steps be 1\");");
                        foreach (string dot in RecurrentDots(s))
                        {
                            _w.Line(dot + "_AvxVnni(ref w, ref qr, ref ar, 0f, default, default);");
                        }

                        _w.Line("return true;");
                        _w.Close();
                    });
                    _w.Line("return false;");
                    _w.Close();
                    _w.Line();

                    _w.Line("// Test hook (internal): the one-step AVX-VNNI kernels of `matrix` at `offset` (as above) with the rescale in their last step,");
                    _w.Line("// into `fused`, and without it followed by Rescale, as the other paths run, into `separate` (GateRows floats each).");
                    _w.Line("// False when this CPU lacks AVX-VNNI.");
                    _w.Open("internal static bool VnniRescaledAtOffsetForTests(string matrix, int offset, ReadOnlySpan<sbyte> q, float activationScale, Span<float> fused, Span<float> separate)");
                    _w.Line("if (!AvxVnni.IsSupported)");
                    _w.Line("    return false;");
                    _w.Line("if (fused.Length < GateRows || separate.Length < GateRows)");
                    _w.Line("    throw new ArgumentException(\"fused and separate must hold GateRows values\");");
                    _w.Line("ref sbyte w = ref WeightsAtOffset(matrix, offset);");
                    _w.Line("ref sbyte qr = ref MemoryMarshal.GetReference(q);");
                    _w.Line("ref float fr = ref MemoryMarshal.GetReference(fused);");
                    _w.Line("ref float sr = ref MemoryMarshal.GetReference(separate);");
                    ForEachMatrix((s, k4) =>
                    {
                        // Each kernel of the matrix: rescaled in its last step into fused, and as int32 sums then Rescale into separate.
                        void Matrix(string m, int columns, IEnumerable<(string Dot, int P0, int P1, string? Bias)> products)
                        {
                            string scales = "S" + m.Substring(1) + s;
                            _w.Line("if (matrix == \"" + m + s + "\")");
                            _w.Open();
                            _w.Line("if (q.Length < " + N(columns) + ")");
                            _w.Line("    throw new ArgumentException(\"q must hold " + N(columns) + " values\", nameof(q));");
                            foreach (var (dot, p0, p1, bias) in products)
                            {
                                _w.Line(dot + "_AvxVnni(ref w, ref qr, ref Unsafe.As<float, int>(ref fr), activationScale, " + scales + ", " + (bias ?? "default") + ");");
                                _w.Line(dot + "_AvxVnni(ref w, ref qr, ref Unsafe.As<float, int>(ref sr), 0f, default, default);");
                                _w.Line("Rescale(ref sr, " + N(p0 * 8) + ", " + N(p1 * 8) + ", " + scales + ", activationScale, " + (bias ?? "default") + ");");
                            }

                            _w.Line("return true;");
                            _w.Close();
                        }

                        Matrix("Wx", k4, new (string, int, int, string?)[] { ("DotProjectOne" + s, 0, _r / 8, "Bx" + s) });
                        Matrix("Wh", Pad4(_h), RecurrentProducts(s).Select(product => ("Dot" + product.Name, product.P0, product.P1, product.Bias)));
                    });
                    _w.Line("return false;");
                    _w.Close();
                    _w.Line();

                    _w.Line("// A pinned copy of `matrix` whose first weight sits `offset` bytes past a 32-byte boundary, between 32-byte guards of 0x5A.");
                    _w.Open("private static ref sbyte WeightsAtOffset(string matrix, int offset)");
                    _w.Line("if ((uint)offset >= 32)");
                    _w.Line("    throw new ArgumentOutOfRangeException(nameof(offset), \"offset must be 0 … 31\");");
                    _w.Line("ReadOnlySpan<sbyte> weights = matrix switch");
                    _w.Open();
                    ForEachMatrix((s, _) =>
                    {
                        _w.Line("\"Wx" + s + "\" => Wx" + s + ",");
                        _w.Line("\"Wh" + s + "\" => Wh" + s + ",");
                    });
                    _w.Line("_ => throw new ArgumentException($\"unknown matrix {matrix}\", nameof(matrix)),");
                    _w.Close(";");
                    _w.Line("// Pinned, so the alignment the kernel reads from the address stays true while it runs; the returned ref keeps it alive.");
                    _w.Line("sbyte[] buffer = GC.AllocateArray<sbyte>(weights.Length + 96, pinned: true);");
                    _w.Line("buffer.AsSpan().Fill(0x5A);");
                    _w.Line("int first = (int)(-Unsafe.ByteOffset(ref Unsafe.NullRef<sbyte>(), ref buffer[0]) & 31) + 32 + offset;");
                    _w.Line("weights.CopyTo(buffer.AsSpan(first));");
                    _w.Line("return ref buffer[first];");
                    _w.Close();
                    _w.Line();
                }

                // Calls `body(suffix, padded input columns)` for every layer and direction.
                private void ForEachMatrix(Action<string, int> body)
                {
                    for (int layer = 0; layer < _l; layer++)
                    {
                        for (int dir = 0; dir < _d; dir++)
                        {
                            body(Suffix(layer, dir), Pad4(K(layer)));
                        }
                    }
                }
            }
        }
    }
}
