using System;
using System.Collections.Generic;
using System.Globalization;

namespace TinyGru.Model.Text
{
    /// <summary>
    /// The English tokenizer for reviews (kind <c>review-v1</c>). Its rules, applied left to right:
    /// <list type="number">
    /// <item>HTML line breaks (<c>&lt;br&gt;</c>, <c>&lt;br/&gt;</c>, <c>&lt;br /&gt;</c>, any case) count as white space.</item>
    /// <item>A word is a run of letters and digits, with apostrophes (<c>'</c> or <c>’</c>, written as <c>'</c>) allowed
    ///   between two letters. Words ending in <c>n't</c> split before it (<c>don't</c> → <c>do</c> <c>n't</c>); words with
    ///   a clitic <c>'s 'm 're 've 'll 'd</c> split before the apostrophe (<c>it's</c> → <c>it</c> <c>'s</c>).</item>
    /// <item>Every other non-space character is a token of its own (<c>!!</c> → <c>!</c> <c>!</c>).</item>
    /// <item>With <see cref="TokenizerSettings.Lowercase"/>, tokens are lower-cased (invariant culture).</item>
    /// </list>
    /// The generated allocation-free tokenizer follows exactly these rules, so training and deployment agree.
    /// </summary>
    public sealed class ReviewTokenizer
    {
        /// <summary>The kind name written into model files.</summary>
        public const string KindName = "review-v1";

        private static readonly string[] Clitics = { "'s", "'m", "'re", "'ve", "'ll", "'d" };
        private readonly bool _lowercase;

        /// <summary>Creates a tokenizer for <paramref name="settings"/>.</summary>
        /// <exception cref="ArgumentException">The settings name a tokenizer kind this version does not know.</exception>
        public ReviewTokenizer(TokenizerSettings settings)
        {
            if (settings.Kind != KindName)
            {
                throw new ArgumentException($"unknown tokenizer kind \"{settings.Kind}\" (known: \"{KindName}\")", nameof(settings));
            }

            _lowercase = settings.Lowercase;
        }

        /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
        public List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                int lineBreak = LineBreakLength(text, i);
                if (lineBreak > 0)
                {
                    i += lineBreak;
                }
                else if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsLetterOrDigit(c))
                {
                    int end = WordEnd(text, i);
                    AddWord(tokens, Normalize(text.Substring(i, end - i)));
                    i = end;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    tokens.Add(text.Substring(i, 2));
                    i += 2;
                }
                else
                {
                    tokens.Add(Normalize(c.ToString()));
                    i++;
                }
            }

            return tokens;
        }

        /// <summary>Length of an HTML line break starting at <paramref name="start"/>, or 0.</summary>
        internal static int LineBreakLength(string text, int start)
        {
            if (text[start] != '<' || start + 3 >= text.Length
                || char.ToLowerInvariant(text[start + 1]) != 'b' || char.ToLowerInvariant(text[start + 2]) != 'r')
            {
                return 0;
            }

            int i = start + 3;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i < text.Length && text[i] == '/')
            {
                i++;
            }

            return i < text.Length && text[i] == '>' ? i + 1 - start : 0;
        }

        private static bool IsApostrophe(char c) => c == '\'' || c == '\u2019';

        private static int WordEnd(string text, int start)
        {
            int i = start;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsLetterOrDigit(c))
                {
                    i++;
                }
                else if (IsApostrophe(c) && i > start && char.IsLetter(text[i - 1])
                         && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            return i;
        }

        private void AddWord(List<string> tokens, string word)
        {
            if (word.Length > 3 && word.EndsWith("n't", StringComparison.OrdinalIgnoreCase))
            {
                tokens.Add(word.Substring(0, word.Length - 3));
                tokens.Add(word.Substring(word.Length - 3));
                return;
            }

            int apostrophe = word.IndexOf('\'');
            if (apostrophe > 0)
            {
                string tail = word.Substring(apostrophe);
                foreach (string clitic in Clitics)
                {
                    if (string.Equals(tail, clitic, StringComparison.OrdinalIgnoreCase))
                    {
                        tokens.Add(word.Substring(0, apostrophe));
                        tokens.Add(tail);
                        return;
                    }
                }
            }

            tokens.Add(word);
        }

        private string Normalize(string token)
        {
            token = token.Replace('\u2019', '\'');
            return _lowercase ? token.ToLower(CultureInfo.InvariantCulture) : token;
        }
    }
}
