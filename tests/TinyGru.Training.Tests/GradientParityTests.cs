using System.Linq;
using TinyGru.Model;
using TinyGru.ReferenceData;
using TinyGru.Training.Model;
using TinyGru.Training.Optim;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>
/// Every <c>training/*.json</c> golden case (PyTorch 1.13): loss, every parameter's gradient, Adam from the
/// stored gradients, three full training steps, and clipping — with the tolerances of the reference README.
/// </summary>
public sealed class GradientParityTests
{
    private const double GradAtol = 1e-5, GradRtol = 1e-4, ParamAtol = 2e-5, LossAtol = 1e-5, NormRtol = 1e-5;

    /// <summary>One test case per JSON file in <c>training</c>.</summary>
    public static TheoryData<string> Cases => new(ReferenceRoot.CasesOf("training"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_and_every_gradient_match_pytorch(string referenceCase)
    {
        TrainingCase c = TrainingCase.Load(referenceCase);
        GruModel model = c.InitialModel();
        ParameterSet weights = ParameterSet.FromModel(model);
        ParameterSet gradients = weights.ZerosLike();
        var trainer = new NetworkTrainer(model.Architecture);

        BatchResult result = trainer.Run(weights, c.Sequences, c.Labels, gradients, 1.0 / c.Labels.Length);

        Close.Equal(c.Loss, result.LossSum / c.Labels.Length, LossAtol, 0, $"{c.Name} loss");
        ParameterSet expected = TrainingCase.ToSet(weights, c.Grads);
        foreach (ParameterTensor tensor in gradients.Tensors)
        {
            Close.Equal(expected[tensor.Name], tensor.Values, GradAtol, GradRtol, $"{c.Name} grad {tensor.Name}");
        }

        // The padding row is never touched.
        int e = model.Architecture.Embedding!.Dimension;
        Assert.All(gradients[TinyGru.Model.Architecture.TensorNames.EmbeddingWeight].Skip(c.PaddingIndex * e).Take(e), g => Assert.Equal(0f, g));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adam_step_1_from_the_stored_gradients_matches_pytorch(string referenceCase)
    {
        TrainingCase c = TrainingCase.Load(referenceCase);
        ParameterSet weights = ParameterSet.FromModel(c.InitialModel());
        ParameterSet gradients = TrainingCase.ToSet(weights, c.GradsClipped1 ?? c.Grads);
        var adam = new Adam(weights, c.LearningRate, c.Beta1, c.Beta2, c.Epsilon);

        adam.Step(weights, gradients);

        ParameterSet expected = TrainingCase.ToSet(weights, c.ParamsAfter1);
        foreach (ParameterTensor tensor in weights.Tensors)
        {
            Close.Equal(expected[tensor.Name], tensor.Values, ParamAtol, 0, $"{c.Name} after step 1 {tensor.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_training_steps_match_pytorch(string referenceCase)
    {
        TrainingCase c = TrainingCase.Load(referenceCase);
        GruModel model = c.InitialModel();
        ParameterSet weights = ParameterSet.FromModel(model);
        ParameterSet gradients = weights.ZerosLike();
        var trainer = new NetworkTrainer(model.Architecture);
        var adam = new Adam(weights, c.LearningRate, c.Beta1, c.Beta2, c.Epsilon);

        for (int step = 0; step < 3; step++)
        {
            gradients.Clear();
            BatchResult result = trainer.Run(weights, c.Sequences, c.Labels, gradients, 1.0 / c.Labels.Length);
            Close.Equal(c.LossesPerStep[step], result.LossSum / c.Labels.Length, LossAtol, 0, $"{c.Name} loss at step {step + 1}");
            if (c.ClipMaxNorm is double maxNorm)
            {
                double norm = GradientClipping.ClipByGlobalNorm(gradients, maxNorm);
                Close.Equal(c.GradNormsPreclip![step], norm, 0, NormRtol, $"{c.Name} pre-clip norm at step {step + 1}");
                if (step == 0)
                {
                    ParameterSet clipped = TrainingCase.ToSet(weights, c.GradsClipped1!);
                    foreach (ParameterTensor tensor in gradients.Tensors)
                    {
                        Close.Equal(clipped[tensor.Name], tensor.Values, GradAtol, GradRtol, $"{c.Name} clipped grad {tensor.Name}");
                    }
                }
            }

            adam.Step(weights, gradients);
        }

        ParameterSet expected = TrainingCase.ToSet(weights, c.ParamsAfter3);
        foreach (ParameterTensor tensor in weights.Tensors)
        {
            Close.Equal(expected[tensor.Name], tensor.Values, ParamAtol, 0, $"{c.Name} after step 3 {tensor.Name}");
        }
    }

    [Fact]
    public void Reference_root_covers_stacked_bidirectional_and_clipping()
    {
        TrainingCase[] cases = ReferenceRoot.CasesOf("training").Select(TrainingCase.Load).ToArray();
        Assert.Contains(cases, c => c.Layers > 1);
        Assert.Contains(cases, c => c.Bidirectional);
        Assert.Contains(cases, c => c.ClipMaxNorm is not null);
        Assert.Contains(cases, c => c.Lengths.Distinct().Count() > 1);
    }
}
