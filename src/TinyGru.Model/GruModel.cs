using System;
using System.Collections.Generic;
using TinyGru.Model.Architecture;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;
using TinyGru.Model.Validation;

namespace TinyGru.Model
{
    /// <summary>
    /// A complete TinyGru network: its architecture, its weights, its text handling (for text models) and
    /// its provenance. Always valid: the constructor checks every rule the model file reader checks.
    /// </summary>
    public sealed class GruModel
    {
        private readonly Dictionary<string, Tensor> _byName;

        /// <summary>Creates a model and validates it.</summary>
        /// <param name="architecture">The network's shape.</param>
        /// <param name="tensors">Every weight tensor the architecture needs.</param>
        /// <param name="text">Vocabulary and tokenizer of a text model, or null.</param>
        /// <param name="provenance">Where the model came from.</param>
        /// <param name="quantization">How an int8 model runs; null for a float model.</param>
        /// <exception cref="ModelValidationException">A tensor is missing, unknown, misshapen, not finite or of the wrong storage type, or the text description does not fit.</exception>
        public GruModel(NetworkArchitecture architecture, IReadOnlyList<Tensor> tensors, TextSpec? text, Provenance provenance,
            QuantizationSpec? quantization = null)
        {
            Quantization = quantization;
            Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
            Tensors = tensors ?? throw new ArgumentNullException(nameof(tensors));
            Text = text;
            Provenance = provenance ?? throw new ArgumentNullException(nameof(provenance));

            IReadOnlyList<ModelProblem> problems = ModelValidator.Validate(architecture, tensors, text, quantization);
            if (problems.Count > 0)
            {
                throw new ModelValidationException(problems);
            }

            _byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (Tensor tensor in tensors)
            {
                _byName.Add(tensor.Name, tensor);
            }
        }

        /// <summary>The network's shape.</summary>
        public NetworkArchitecture Architecture { get; }

        /// <summary>Every weight tensor, in file order.</summary>
        public IReadOnlyList<Tensor> Tensors { get; }

        /// <summary>Vocabulary and tokenizer of a text model; null for models that read token ids or features.</summary>
        public TextSpec? Text { get; }

        /// <summary>Where the model came from.</summary>
        public Provenance Provenance { get; }

        /// <summary>How the int8 model runs; null for a float model.</summary>
        public QuantizationSpec? Quantization { get; }

        /// <summary>The tensor called <paramref name="name"/> (see <see cref="TensorNames"/>).</summary>
        /// <exception cref="KeyNotFoundException">This architecture has no such tensor.</exception>
        public Tensor this[string name] =>
            _byName.TryGetValue(name, out Tensor? tensor)
                ? tensor
                : throw new KeyNotFoundException($"the model has no tensor '{name}'");

        /// <summary>Total number of weights and biases.</summary>
        public long ParameterCount
        {
            get
            {
                long count = 0;
                foreach (Tensor tensor in Tensors)
                {
                    count += tensor.ElementCount;
                }

                return count;
            }
        }
    }
}
