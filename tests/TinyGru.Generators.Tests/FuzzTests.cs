using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using TinyGru.Model.Format;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>Corrupted model files: the generator never throws and reports exactly what the shared reader rejects.</summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const string Class = "namespace N;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic partial class M;\n";

    private static string Mutate(string text, Random random)
    {
        int at = random.Next(text.Length);
        switch (random.Next(12))
        {
            case 0: return text.Substring(0, at);                                                   // truncate
            case 1: return text.Remove(at, 1);                                                      // delete a character
            case 2: return text.Insert(at, ((char)random.Next(32, 127)).ToString());               // insert printable
            case 3: return text.Substring(0, at) + (char)random.Next(32, 127) + text.Substring(at + 1); // replace a character
            case 4:
            {
                // change a digit
                int d = text.IndexOfAny("0123456789".ToCharArray(), at);
                return d < 0 ? text + "}" : text.Substring(0, d) + (char)('0' + random.Next(10)) + text.Substring(d + 1);
            }
            case 5:
            {
                // flip a base64 character inside tensor data
                int data = text.IndexOf("\"data\": \"", at, StringComparison.Ordinal);
                if (data < 0) data = text.IndexOf("\"data\": \"", StringComparison.Ordinal);
                int p = data + 9 + random.Next(8);
                return text.Substring(0, p) + (text[p] == 'A' ? 'B' : 'A') + text.Substring(p + 1);
            }
            case 6: return text.Replace("float32", "float16");
            case 7: return text.Replace("\"layers\": 1", "\"layers\": " + random.Next(-2, 4));
            case 8: return text.Replace("\"inputSize\": 7", "\"inputSize\": " + new[] { "0", "-7", "1e3", "7.5", "null", "\"7\"", "99999999999" }[random.Next(7)]);
            case 9:
            {
                // drop a whole line
                string[] lines = text.Split('\n');
                int l = random.Next(lines.Length);
                return string.Join("\n", lines.Where((_, i) => i != l));
            }
            case 10: return text.Replace("\"name\": \"gru.bias_hh_l0\"", "\"name\": \"gru.bias_hh_l" + random.Next(0, 3) + "\"");
            default: return text.Insert(at, new[] { "\u0000", "\"", "{", "]", ",", "\\u12", "NaN", "\ud800" }[random.Next(8)]);
        }
    }

    [Fact]
    public void Mutated_model_files_always_yield_the_readers_diagnostic_and_never_an_exception()
    {
        string valid = TestModels.SmallModelText();
        var random = new Random(20261127);
        int invalid = 0;
        const int runs = 400;
        for (int n = 0; n < runs; n++)
        {
            string mutated = Mutate(valid, random);
            if (random.Next(4) == 0)
            {
                mutated = Mutate(mutated, random);
            }

            string? readerProblem = null;
            try
            {
                ModelFileReader.Parse(mutated, "model.tgru");
            }
            catch (ModelFileException e)
            {
                readerProblem = e.FieldPath + ": " + e.Problem;
            }

            GeneratorOutcome outcome = GeneratorHarness.RunModel(mutated, Class);   // throws if the generator threw
            Assert.DoesNotContain(outcome.Diagnostics, d => d.Id is "AD0001" or "CS8785" or "TGRU011");
            Diagnostic[] tgru = outcome.TinyGruDiagnostics.ToArray();
            if (readerProblem is null)
            {
                Assert.True(tgru.Length == 0 && outcome.GeneratedSource is not null, $"mutation {n}: the reader accepts it, so the generator must generate");
            }
            else
            {
                invalid++;
                Diagnostic d = Assert.Single(tgru);
                Assert.True(d.Id is "TGRU002" or "TGRU003" or "TGRU004", $"mutation {n}: {d}");
                Assert.Contains(readerProblem, d.GetMessage());
                Assert.Null(outcome.GeneratedSource);
            }
        }

        output.WriteLine($"{runs} mutations, {invalid} rejected by the reader and reported as TGRU diagnostics");
        Assert.True(invalid > runs / 2, $"only {invalid} of {runs} mutations were invalid: the fuzzer is too gentle");
    }
}
