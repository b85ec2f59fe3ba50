using System;
using System.Collections.Generic;
using System.Globalization;
using TinyGru.Model.Validation;

namespace TinyGru.Model.Format
{
    /// <summary>
    /// A model file that cannot be used. The message is one line, <c>file(line,column): field: problem</c>,
    /// the form compilers use, so the same text serves the CLI and the generator's diagnostics.
    /// </summary>
    public sealed class ModelFileException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ModelFileException(string? fileName, int line, int column, string fieldPath, string problem,
            IReadOnlyList<ModelProblem>? allProblems = null)
            : base(Compose(fileName, line, column, fieldPath, problem))
        {
            FileName = fileName;
            Line = line;
            Column = column;
            FieldPath = fieldPath;
            Problem = problem;
            AllProblems = allProblems ?? new[] { new ModelProblem(fieldPath, problem) };
        }

        /// <summary>The file (or source name) read, if known.</summary>
        public string? FileName { get; }

        /// <summary>1-based line of the faulty field, or 0 when the fault has no place (e.g. an empty file).</summary>
        public int Line { get; }

        /// <summary>1-based column of the faulty field, or 0.</summary>
        public int Column { get; }

        /// <summary>The field at fault, e.g. <c>tensors["gru.weight_hh_l0"].checksum</c>.</summary>
        public string FieldPath { get; }

        /// <summary>What is wrong, without the place.</summary>
        public string Problem { get; }

        /// <summary>Every problem found (the first is <see cref="FieldPath"/>/<see cref="Problem"/>).</summary>
        public IReadOnlyList<ModelProblem> AllProblems { get; }

        private static string Compose(string? fileName, int line, int column, string fieldPath, string problem)
        {
            string place = fileName ?? "model";
            if (line > 0)
            {
                place += "(" + line.ToString(CultureInfo.InvariantCulture) + "," + column.ToString(CultureInfo.InvariantCulture) + ")";
            }

            return place + ": " + fieldPath + ": " + problem;
        }
    }
}
