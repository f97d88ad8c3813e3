// Micro-benchmarks of the near-duplicate core: normalization, shingling,
// MinHash signing and LSH, on deterministic French-like text.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/lsh_index.h"
#include "core/minhash.h"
#include "core/normalize.h"
#include "core/shingler.h"

namespace newsdedup {
namespace {

// The 400 most frequent words of the seed dumps, so that the mix of ASCII,
// accented letters and word lengths is that of real pages.
constexpr char kVocabulary[] =
    "de la le et les à des un en une du a Kazakhstan pour dans 2025 sur "
    "Le au Asie centrale Ouzbékistan entre qui par président pays "
    "coopération avec européenne que est Tadjikistan ont son UE Union "
    "Les Tokaïev Kaja Kallas Cette stratégique se mars aux Kassym Jomart "
    "Ce ses juillet partenariat Un Astana sa étrangères économiques été "
    "Lors État tout sous numérique renforcer ONU plus sont États "
    "développement millions accord Russie également Chine France ce "
    "durable Achgabat notamment projets relations générale région deux "
    "Europe sommet cookies réunion transport sécurité stratégie La "
    "guerre stratégiques Paris Samarcande sans nouvelle comme "
    "Turkménistan cadre initiative économique première régionale "
    "régional annoncé échanges cette 2024 vers rôle Une mais cœur mise "
    "27 cinq rencontre régionales Global Gateway Ukraine vise "
    "kazakhstanais projet nouvel signé visite 11 centre internationale "
    "marque si pas géopolitique représentante ministérielle domaines "
    "ainsi énergie Des Shavkat Mirziyoyev visant ouzbek Kirghizstan "
    "intégration Il étrangers IA internationaux encore sanctions COP29 "
    "30 ouverture Assemblée Lituanie Et commerce désormais politiques "
    "Haute affaires politique migratoire tiendra discussions russe "
    "échange En euros nationale Schengen visiteurs y intelligence "
    "artificielle résolution création renforcement jours lumière ici il "
    "décision contexte novembre étape où tournant diplomatique Dans "
    "avenir Organisation fois Affaires mal Talibans visas site Aucun "
    "cookie afficher dialogue fait Au ligne frontières 20e permis kazakh "
    "Emomali Rahmon accords soutien Turquie savoir chefs UNESCO sera 43e "
    "Conférence Cet événement régulation mécanismes rares militaire "
    "Sergio Mattarella paix mis environnement climatique 1er national "
    "enjeux Mais tenu Bakou propre carbone transition capitale vient "
    "monde tous toujours 25 diplomatie ministère nouvelles flux "
    "corruption elle ou Ces Afghans ultimatum Afghanistan droits "
    "fonctionnalités Web scène révolution présidé coopérations route "
    "ressources international liens présidents Poutine partenariats "
    "Instituts kazakhe plateforme ambitieux entreprises divers secteurs "
    "jusqu 2027 accueillera session ans anniversaire organisation 200 "
    "inscrit qu renforçant compris présente proposé concentre métaux "
    "autour modernisation après italien accueilli leurs Bruxelles "
    "durables Corridor transcaspien tonnes Route 000 flotte expansion "
    "mondiale marché Azerbaïdjan construction prévu banques via "
    "investisseurs vous clé unité avril réunis niveau frontière veille "
    "premier interview tensions travers pratiques solutions Riyad "
    "mondiaux défis particulier nécessaires engagement souligné "
    "importance énergétique mondial palestinien ambassadeur cérémonie "
    "Bichkek dernier 31 octobre 500 vision fonds pourrait université 28 "
    "impose sein adopté Derrière texte dynamique quinze ne on précédent "
    "juin ouvre Tachkent investissements dix base essentiel humains "
    "reconstruction utilisés fournir infrastructures corridors accès "
    "davantage septembre New York Donald Trump Shanghaï Constitution "
    "messagerie TikTok acquis solution soviétique idée marketplaces "
    "elles Entre ";

std::vector<std::string_view> Vocabulary() {
  std::vector<std::string_view> words;
  const std::string_view all(kVocabulary);
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find(' ', start);
    if (end == std::string_view::npos) end = all.size();
    if (end > start) words.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// `num_words` words with the punctuation of news prose: elided articles
// (l’, d’), commas, sentence ends, the odd « quote » with no-break spaces.
std::string FrenchText(int num_words, std::mt19937_64& rng) {
  static const std::vector<std::string_view> vocabulary = Vocabulary();
  std::string text;
  for (int i = 0; i < num_words; ++i) {
    const uint64_t dice = rng() % 100;
    if (!text.empty()) text += ' ';
    if (dice < 8) text += "l’";
    if (dice >= 8 && dice < 12) text += "d’";
    if (dice == 12) text += "«\u00A0";
    text += vocabulary[rng() % vocabulary.size()];
    if (dice == 12) text += "\u00A0»";
    if (dice >= 90 && dice < 96) text += ',';
    if (dice >= 96) text += '.';
  }
  return text;
}

std::string ArticleText() {
  std::mt19937_64 rng(1);
  return FrenchText(800, rng);  // About 5 KB, a long news article.
}

// Listing-size items: a title and its lede, about 75 words.
std::vector<std::string> ListingItems(int count) {
  std::mt19937_64 rng(2);
  std::vector<std::string> items;
  for (int i = 0; i < count; ++i) items.push_back(FrenchText(75, rng));
  return items;
}

int64_t TotalBytes(const std::vector<std::string>& texts) {
  int64_t bytes = 0;
  for (const std::string& text : texts) bytes += text.size();
  return bytes;
}

void BM_Normalize(benchmark::State& state) {
  const std::string article = ArticleText();
  for (auto _ : state) {
    benchmark::DoNotOptimize(MatchingForm(article));
  }
  state.SetBytesProcessed(state.iterations() * article.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize);

void BM_CanonicalForm(benchmark::State& state) {
  const std::string article = ArticleText();
  for (auto _ : state) {
    benchmark::DoNotOptimize(CanonicalForm(article));
  }
  state.SetBytesProcessed(state.iterations() * article.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalForm);

void BM_Shingle(benchmark::State& state) {
  const std::string article = ArticleText();
  Shingler shingler(3);
  ShingleSet shingles;
  for (auto _ : state) {
    shingler.ShingleInto(article, &shingles);
    benchmark::DoNotOptimize(shingles.data());
  }
  state.SetBytesProcessed(state.iterations() * article.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Shingle);

// Signing alone, from precomputed shingle hashes of listing items; one item
// per iteration. Bytes are those of the items' texts.
void BM_SignFromShingles(benchmark::State& state) {
  constexpr int kItems = 1024;
  const std::vector<std::string> items = ListingItems(kItems);
  Shingler shingler(3);
  std::vector<ShingleSet> shingles(kItems);
  for (int i = 0; i < kItems; ++i) shingler.ShingleInto(items[i], &shingles[i]);
  const MinHasher hasher(static_cast<int>(state.range(0)), 1);
  Signature signature(hasher.num_hashes());
  size_t item = 0;
  for (auto _ : state) {
    hasher.SignInto(shingles[item], signature.data());
    benchmark::DoNotOptimize(signature.data());
    item = (item + 1) % kItems;
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(items) / kItems);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignFromShingles)->Arg(64)->Arg(128)->Arg(256);

// The whole text-to-signature path of one article: tokenize, shingle, sign.
void BM_TextToSignature(benchmark::State& state) {
  const std::string article = ArticleText();
  Shingler shingler(3);
  const MinHasher hasher(128, 1);
  ShingleSet shingles;
  Signature signature(hasher.num_hashes());
  for (auto _ : state) {
    shingler.ShingleInto(article, &shingles);
    hasher.SignInto(shingles, signature.data());
    benchmark::DoNotOptimize(signature.data());
  }
  state.SetBytesProcessed(state.iterations() * article.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TextToSignature);

std::vector<Signature> ListingSignatures(int count) {
  const std::vector<std::string> items = ListingItems(count);
  Shingler shingler(3);
  const MinHasher hasher(128, 1);
  std::vector<Signature> signatures;
  for (const std::string& item : items) {
    signatures.push_back(hasher.Sign(shingler.Shingle(item)));
  }
  return signatures;
}

constexpr int kIndexedItems = 10000;

// Builds an index of 10,000 listing signatures (t = 0.5, k = 128) per
// iteration. Bytes are signature bytes.
void BM_LshInsert(benchmark::State& state) {
  const std::vector<Signature> signatures = ListingSignatures(kIndexedItems);
  const LshParams params = OptimalLshParams(0.5, 128);
  for (auto _ : state) {
    LshIndex index(params);
    for (int i = 0; i < kIndexedItems; ++i) index.Insert(i, signatures[i]);
    benchmark::DoNotOptimize(index.size());
  }
  state.SetItemsProcessed(state.iterations() * kIndexedItems);
  state.SetBytesProcessed(state.iterations() * kIndexedItems * 128 *
                          sizeof(uint32_t));
}
BENCHMARK(BM_LshInsert)->Unit(benchmark::kMillisecond);

// One query per iteration against 10,000 indexed listing signatures; half of
// the queries are indexed signatures themselves, so they find candidates.
void BM_LshQuery(benchmark::State& state) {
  const std::vector<Signature> signatures =
      ListingSignatures(kIndexedItems + kIndexedItems);
  LshIndex index(OptimalLshParams(0.5, 128));
  for (int i = 0; i < kIndexedItems; ++i) index.Insert(i, signatures[i]);
  size_t query = kIndexedItems / 2;
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Query(signatures[query]));
    query = (query + 1) % signatures.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 128 * sizeof(uint32_t));
}
BENCHMARK(BM_LshQuery);

}  // namespace
}  // namespace newsdedup
