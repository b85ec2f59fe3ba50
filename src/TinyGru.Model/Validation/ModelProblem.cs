using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyGru.Model.Validation
{
    /// <summary>One thing wrong with a model: the field it is in (e.g. <c>tensors["gru.weight_ih_l0"].shape</c>) and what is wrong.</summary>
    /// <param name="FieldPath">Where the fault is, written as a path into the model file.</param>
    /// <param name="Message">What is wrong, in one sentence.</param>
    public sealed record ModelProblem(string FieldPath, string Message)
    {
        /// <inheritdoc />
        public override string ToString() => FieldPath + ": " + Message;
    }

    /// <summary>Thrown when a model in memory breaks a rule of the format.</summary>
    public sealed class ModelValidationException : Exception
    {
        /// <summary>Creates the exception from the problems found (at least one).</summary>
        public ModelValidationException(IReadOnlyList<ModelProblem> problems)
            : base(string.Join("\n", problems.Select(p => p.ToString())))
        {
            Problems = problems;
        }

        /// <summary>Every problem found, most important first.</summary>
        public IReadOnlyList<ModelProblem> Problems { get; }
    }
}
