using System;
using System.Collections.Generic;

namespace TinyGru.Model.Text
{
    /// <summary>How raw text is cut into tokens before the vocabulary maps them to ids.</summary>
    /// <param name="Kind">The tokenizer's rules by name; <see cref="ReviewTokenizer.KindName"/> is the one this version knows.</param>
    /// <param name="Lowercase">Whether text is lower-cased (invariant culture) before lookup.</param>
    public sealed record TokenizerSettings(string Kind, bool Lowercase);

    /// <summary>
    /// Everything a text model needs besides weights: the tokenizer settings and the vocabulary, whose
    /// position i is token id i (the embedding row).
    /// </summary>
    public sealed class TextSpec
    {
        private readonly string[] _vocabulary;
        private readonly Dictionary<string, int> _ids;

        /// <summary>Creates a text description; duplicate vocabulary entries are rejected.</summary>
        /// <exception cref="ArgumentException">The vocabulary repeats a token or lacks the unknown or padding token.</exception>
        public TextSpec(TokenizerSettings tokenizer, IReadOnlyList<string> vocabulary, string unknownToken, string paddingToken)
        {
            Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
            UnknownToken = unknownToken ?? throw new ArgumentNullException(nameof(unknownToken));
            PaddingToken = paddingToken ?? throw new ArgumentNullException(nameof(paddingToken));
            _vocabulary = new string[vocabulary.Count];
            _ids = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
            for (int id = 0; id < vocabulary.Count; id++)
            {
                string token = vocabulary[id];
                _vocabulary[id] = token;
                if (_ids.ContainsKey(token))
                {
                    throw new ArgumentException($"vocabulary[{id}]: token \"{token}\" already has id {_ids[token]}", nameof(vocabulary));
                }

                _ids.Add(token, id);
            }

            if (!_ids.TryGetValue(unknownToken, out int unknownId))
            {
                throw new ArgumentException($"the unknown token \"{unknownToken}\" is not in the vocabulary", nameof(unknownToken));
            }

            if (!_ids.TryGetValue(paddingToken, out int paddingId))
            {
                throw new ArgumentException($"the padding token \"{paddingToken}\" is not in the vocabulary", nameof(paddingToken));
            }

            UnknownId = unknownId;
            PaddingId = paddingId;
        }

        /// <summary>The tokenizer rules.</summary>
        public TokenizerSettings Tokenizer { get; }

        /// <summary>Token by id.</summary>
        public IReadOnlyList<string> Vocabulary => _vocabulary;

        /// <summary>The token out-of-vocabulary words map to, e.g. <c>&lt;unk&gt;</c>.</summary>
        public string UnknownToken { get; }

        /// <summary>The token that pads batches, e.g. <c>&lt;pad&gt;</c>.</summary>
        public string PaddingToken { get; }

        /// <summary>The id of <see cref="UnknownToken"/>.</summary>
        public int UnknownId { get; }

        /// <summary>The id of <see cref="PaddingToken"/>.</summary>
        public int PaddingId { get; }

        /// <summary>The id of <paramref name="token"/>, or <see cref="UnknownId"/> when it is not in the vocabulary.</summary>
        public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : UnknownId;

        /// <summary>Tokenizes <paramref name="text"/> with <see cref="Tokenizer"/> and maps every token to its id.</summary>
        public int[] Encode(string text)
        {
            var tokenizer = new ReviewTokenizer(Tokenizer);
            List<string> tokens = tokenizer.Tokenize(text);
            var ids = new int[tokens.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = IdOf(tokens[i]);
            }

            return ids;
        }
    }
}
