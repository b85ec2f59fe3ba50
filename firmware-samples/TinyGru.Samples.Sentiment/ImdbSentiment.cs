using TinyGru;

namespace TinyGru.Samples.Sentiment;

/// <summary>
/// The shipped IMDb model (Embedding 25,002 × 100 → GRU 256 → Linear 1 + sigmoid, int8 weights w8a32, review-v1
/// tokenizer and vocabulary), compiled into C# at build time: no model file is read at run time.
/// </summary>
[GruModel("../../models/imdb-sentiment.tgru")]
public partial class ImdbSentiment;
