using System;
using System.Collections.Generic;

namespace TinyGru.Generators
{
    public sealed partial class GruModelGenerator
    {
        internal static partial class Emitter
        {
            private sealed partial class ClassWriter
            {
                // Where a w8a8 matrix keeps each panel's column groups (the 32 bytes of 8 rows × 4 columns one vpdpbusd, sdot pair or
                // vpmaddwd consumes), shared by the packer and every integer kernel.
                //
                // Panel layout (matrices up to InterleaveAboveBytes): a panel's column groups one after another, so panel p's group
                // c sits at p·k4·8 + c·32; a kernel reading eight panels at once reads eight streams k4·8 bytes apart.
                //
                // Interleaved layout (larger matrices): a kernel's range of panels [P0, P1) in blocks of 8 (the last block may be
                // smaller); inside a block, column group by column group, the block's panels' 32 bytes side by side. The block
                // still fills bytes [first panel · k4·8, (last panel + 1) · k4·8), so panel p of a block of `size` panels starting
                // at panel s keeps group c at s·k4·8 + c·size·32 + (p − s)·32, and the eight-panel kernels read one stream.
                //
                // Why two: W_hh of an S4 model (H = 256, 196 KB) streams from L2 every step, and its AVX-VNNI kernel took 1.83–1.93 µs
                // reading eight streams against 1.36–1.40 µs reading one (scratch console, same weights, offsets 8–24, identical sums).
                // S3's W_hh (12 KB) stays in L1, where the interleaved copy was slower: 97–112 ns against 91–104 ns.
                private const int InterleaveAboveBytes = 32 * 1024;

                /// <summary>Panels per block of the interleaved layout (the AVX-VNNI kernel's group).</summary>
                private const int InterleaveBlock = 8;

                /// <summary>Whether a w8a8 matrix of <paramref name="k4"/> padded columns (and GateRows rows) is interleaved.</summary>
                private bool IsInterleaved(int k4) => (long)_r * k4 > InterleaveAboveBytes;

                // Over a kernel reading an interleaved matrix: how its addresses differ from the panel layout's.
                private void WriteInterleavedNote(string matrix, int k4)
                {
                    if (IsInterleaved(k4))
                    {
                        _w.Line("// " + matrix + " is interleaved (" + N(_r * k4 / 1024) + " KB, more than an L1 data cache holds): in blocks of 8 panels, column group by column group, the block's");
                        _w.Line("// panels' 32 bytes side by side; so panel i of a group is 32·i bytes in, and the next column group 32 · (panels in the block) on.");
                    }
                }

                /// <summary>The kernel ranges [P0, P1) of a layer's W_ih (all rows) or W_hh (Cho's convention splits it in two).</summary>
                private IEnumerable<(int P0, int P1)> PanelRanges(string matrix, string suffix)
                {
                    if (matrix == "Wx")
                    {
                        yield return (0, _r / 8);
                        yield break;
                    }

                    foreach (RecurrentProduct product in RecurrentProducts(suffix))
                    {
                        yield return (product.P0, product.P1);
                    }
                }

                /// <summary>The byte offset of panel <paramref name="p"/>'s column group <paramref name="group"/> (columns 4·group … 4·group + 3).</summary>
                private int QuadOffset(string matrix, string suffix, int k4, int p, int group)
                {
                    int stride = k4 * 8;
                    if (!IsInterleaved(k4))
                    {
                        return p * stride + group * 32;
                    }

                    foreach (var (p0, p1) in PanelRanges(matrix, suffix))
                    {
                        if (p >= p0 && p < p1)
                        {
                            int start = BlockStart(p0, p);
                            int size = Math.Min(InterleaveBlock, p1 - start);
                            return start * stride + group * size * 32 + (p - start) * 32;
                        }
                    }

                    throw new ArgumentOutOfRangeException(nameof(p));
                }

                /// <summary>The first panel of the interleaved block holding panel <paramref name="p"/> of a range starting at <paramref name="p0"/>.</summary>
                private static int BlockStart(int p0, int p) => p0 + (p - p0) / InterleaveBlock * InterleaveBlock;

                // A stretch of a kernel's panel range over which its addressing is one formula: `Loop` runs p from From to To in
                // steps of Panels (else one group of Panels at From); panel i of a group is PanelStep bytes after panel 0, and column
                // group c + 1 ColumnStep bytes after c. Offset(p) is the C# expression of the group's first byte. Interleaved: the
                // matrix is in the interleaved layout.
                private readonly record struct PanelRun(
                    bool Interleaved, int From, int To, int Panels, bool Loop, int PanelStep, int ColumnStep, Func<string, string> Offset);

                // The runs that cover panels [p0, p1) in groups of `group` panels (8, 4, 2 or 1: each divides a block), then the
                // rest. In the interleaved layout the last, smaller block gets runs of its own: its column step differs.
                private List<PanelRun> PanelRuns(int k4, int p0, int p1, int group)
                {
                    int stride = k4 * 8;
                    var runs = new List<PanelRun>();
                    bool interleaved = IsInterleaved(k4);
                    if (!interleaved)
                    {
                        Split(p0, p1, stride, 32, p => p + " * " + N(stride));
                        return runs;
                    }

                    int fullEnd = BlockStart(p0, p1);
                    if (fullEnd > p0)
                    {
                        // Inside full blocks: the block's first panel times the panel stride, plus 32 bytes per panel after it.
                        Split(p0, fullEnd, 32, InterleaveBlock * 32, p =>
                        {
                            if (group == InterleaveBlock)
                            {
                                return p + " * " + N(stride);
                            }

                            string inBlock = p0 == 0 ? "(" + p + " & 7)" : "((" + p + " - " + N(p0) + ") & 7)";
                            return "(" + p + " - " + inBlock + ") * " + N(stride) + " + " + inBlock + " * 32";
                        });
                    }

                    if (p1 > fullEnd)
                    {
                        Split(fullEnd, p1, 32, (p1 - fullEnd) * 32, p => N(fullEnd * stride) + " + (" + p + " - " + N(fullEnd) + ") * 32");
                    }

                    return runs;

                    void Split(int from, int to, int panelStep, int columnStep, Func<string, string> loopOffset)
                    {
                        int full = from + (to - from) / group * group;
                        if (full > from)
                        {
                            runs.Add(new PanelRun(interleaved, from, full, group, true, panelStep, columnStep, loopOffset));
                        }

                        if (to > full)
                        {
                            int at = full;
                            runs.Add(new PanelRun(interleaved, at, to, to - full, false, panelStep, columnStep,
                                _ => N(interleaved ? ConstantOffset(at) : at * stride)));
                        }
                    }

                    int ConstantOffset(int p) => BlockStart(p0, p) * stride + (p - BlockStart(p0, p)) * 32;
                }
            }
        }
    }
}
