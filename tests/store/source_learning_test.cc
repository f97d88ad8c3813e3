// Learning from a source, through the real Ingester on small hand-made
// pages and listings (store/source_learning.h, core/page_profile.h,
// core/template_texts.h, core/transition_pairing.h).

#include "store/source_learning.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/ingest.h"
#include "store/snapshot_report.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// What every page of the made-up site "La Gazette du Val" carries: menus,
// teasers of other stories, a long house blurb that no vocabulary knows, a
// subscription notice and a footer.
const std::vector<std::string> kTop = {
    "Accueil",
    "Vallée Région Sports Culture Débats",
    "Les plus lus",
    "Le marché couvert accueille de nouveaux producteurs",
    "La fanfare municipale fête ses cent ans sur la place",
    "La Gazette du Val raconte depuis soixante-dix ans la vie des communes de la vallée, "
    "de leurs écoles, de leurs fêtes et de leurs conseils municipaux, avec ses lecteurs.",
};
const std::vector<std::string> kBottom = {
    "Cet article vous a intéressé ? Soutenez une rédaction locale et indépendante qui enquête "
    "chaque jour sur les sujets qui comptent pour les habitants de la vallée.",
    "Qui sommes-nous Nous contacter Plan du site",
};

struct Story {
  std::string title;
  std::string lede;
  std::vector<std::string> paragraphs;
};

const Story kBridge{
    "Un pont rouvre après deux ans de travaux",
    "Les habitants de la vallée retrouvent leur passage vers la ville, fermé depuis la crue "
    "de l'hiver dernier.",
    {"Les ingénieurs ont dû reconstruire deux piles et renforcer le tablier avant que les "
     "premières voitures ne passent ce matin, sous les applaudissements des riverains.",
     "Le maire a promis une piste cyclable d'ici l'été, financée par la région et par l'État, "
     "pour relier les deux rives sans détour par la nationale."}};
const Story kSchool{
    "L'école du hameau gardera sa classe unique",
    "Le rectorat renonce à fermer la classe après la mobilisation des parents et des élus du "
    "canton.",
    {"Douze élèves de trois à dix ans partagent la même salle depuis la rentrée, avec une "
     "institutrice arrivée de la ville voisine il y a deux ans.",
     "Les parents avaient occupé l'école pendant une semaine en mars, soutenus par les "
     "communes alentour et par une pétition de plusieurs centaines de signatures."}};
const Story kMill{
    "Le vieux moulin devient un musée de la meunerie",
    "Une association a racheté le bâtiment et ouvrira ses portes aux visiteurs dès le "
    "printemps prochain.",
    {"Les meules d'origine ont été retrouvées sous un plancher effondré, presque intactes, "
     "par des bénévoles qui déblayaient la grange au printemps.",
     "Les écoles de la vallée pourront y voir moudre le blé chaque mercredi, et un café "
     "ouvrira dans l'ancienne maison du meunier."}};

std::string Page(const Story& story) {
  std::vector<std::string> lines = kTop;
  lines.push_back(story.title);
  lines.push_back(story.lede);
  lines.insert(lines.end(), story.paragraphs.begin(), story.paragraphs.end());
  lines.insert(lines.end(), kBottom.begin(), kBottom.end());
  return absl::StrJoin(lines, "\n") + "\n";
}

// A JSON Lines listing of (title, lede) pairs.
std::string Listing(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string out;
  for (const auto& [title, lede] : items) {
    absl::StrAppend(&out, "{\"title\": \"", title, "\", \"text\": \"", lede, "\"}\n");
  }
  return out;
}

class SourceLearningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = StoryStore::Open(
        "/source-learning-test", params_.Describe(), StoryStore::Options{.in_memory = true});
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
  }

  // Ingests one dump of "gazette" on day `day` and returns its report.
  SnapshotReport Ingest(const std::string& bytes, int day, const std::string& name,
                        std::optional<DumpFormat> format = std::nullopt) {
    IngestRequest request;
    request.source = "gazette";
    request.captured_at = absl::StrCat("2024-05-", day < 10 ? "0" : "", day, "T06:00:00Z");
    request.file_name = name;
    request.bytes = bytes;
    request.parse_options.format = format;
    absl::StatusOr<IngestResult> result = Ingester(store_.get(), params_, 1).Ingest(request);
    EXPECT_THAT(result, IsOk());
    if (!result.ok()) return {};
    absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(store_.get(), result->snapshot.id);
    EXPECT_THAT(report, IsOk());
    return report.ok() ? *report : SnapshotReport();
  }

  // The text stored for the story an article page's snapshot reported.
  VersionRecord PageVersion(const SnapshotReport& report) {
    EXPECT_EQ(report.stories.size(), 1u);
    absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
        store_->MultiGetVersions(std::vector<uint64_t>{report.stories.at(0).version_id});
    EXPECT_THAT(versions, IsOk());
    return versions.ok() && (*versions)[0].has_value() ? *(*versions)[0] : VersionRecord();
  }

  void ExpectCheckPasses() {
    std::vector<std::string> problems;
    ASSERT_THAT(store_->Check(&problems), IsOk());
    EXPECT_THAT(problems, IsEmpty());
  }

  MatchParams params_;
  std::unique_ptr<StoryStore> store_;
};

TEST_F(SourceLearningTest, NavigationRecurringOnThreePagesOfTheSourceLeavesThem) {
  const VersionRecord first = PageVersion(Ingest(Page(kBridge), 1, "bridge.txt"));
  // The first page of a source has only the general signals: the house
  // blurb and the subscription notice look like article text.
  EXPECT_THAT(first.body, HasSubstr("Soutenez une rédaction locale"));
  for (const auto& [story, day] : {std::pair{&kSchool, 2}, std::pair{&kMill, 3}}) {
    const VersionRecord page = PageVersion(Ingest(Page(*story), day, "page.txt"));
    EXPECT_EQ(page.title, story->title);
    EXPECT_EQ(page.lede, story->lede);
    for (const std::string& paragraph : story->paragraphs) EXPECT_THAT(page.body, HasSubstr(paragraph));
    for (const char* chrome : {"Soutenez une rédaction", "soixante-dix ans", "fanfare",
                               "Plan du site"}) {
      EXPECT_THAT(page.body, Not(HasSubstr(chrome))) << chrome << " on day " << day;
    }
  }
  // The store counts the stories whose pages showed each line.
  const std::vector<uint64_t> menu = {LineShapeHash(kTop[1])};
  absl::StatusOr<std::vector<TextHistory>> history =
      store_->LookupSourceTexts("gazette", SourceTextKind::kPageLine, menu);
  ASSERT_THAT(history, IsOk());
  EXPECT_EQ((*history)[0].partners, 3u);
  ExpectCheckPasses();
}

TEST_F(SourceLearningTest, APageCapturedAgainKeepsItsText) {
  Ingest(Page(kBridge), 1, "bridge.txt");
  Ingest(Page(kSchool), 2, "school.txt");
  const SnapshotReport again = Ingest(Page(kSchool), 3, "school.txt");
  ASSERT_EQ(again.stories.size(), 1u);
  EXPECT_EQ(again.stories[0].status, StoryStatus::kUnchanged);
}

TEST_F(SourceLearningTest, AnArticlePageJoinsItsTeaserAndTakesItsTitle) {
  Ingest(Listing({{kBridge.title, kBridge.lede}, {kSchool.title, kSchool.lede}}), 1,
         "listing.jsonl", DumpFormat::kJsonl);
  // A page whose menus hold other titles of the site; the teaser's title and
  // lede are in it word for word.
  const SnapshotReport page = Ingest(Page(kBridge), 1, "bridge.txt");
  ASSERT_EQ(page.stories.size(), 1u);
  const ReportEntry& entry = page.stories[0];
  EXPECT_EQ(entry.status, StoryStatus::kUpdated);
  EXPECT_EQ(entry.title, kBridge.title);
  ASSERT_EQ(entry.changes.size(), 1u);
  EXPECT_EQ(entry.changes[0].change, ChangeClass::kExpanded);
  EXPECT_EQ(PageVersion(page).lede, kBridge.lede);
  ExpectCheckPasses();
}

TEST_F(SourceLearningTest, APageUnderAnotherHeadlineJoinsItsTeaserByItsLede) {
  // The listing calls the story by another, longer headline than its page
  // does: the two share the lede alone, too little for a similarity search
  // to find.
  const std::string bridge_teaser =
      "Vallée : fermé depuis l'hiver, l'ouvrage emporté en partie par les eaux est rendu aux "
      "automobilistes, aux cyclistes et aux piétons après un chantier de vingt-quatre mois";
  // Another story of the source opened with the same lede; it is no
  // template yet (one title besides), and not the page's teaser.
  const std::string earlier_teaser = "Vallée : les riverains attendent toujours leur pont";
  const SnapshotReport first =
      Ingest(Listing({{earlier_teaser, kBridge.lede}, {kSchool.title, kSchool.lede}}), 1,
             "listing.jsonl", DumpFormat::kJsonl);
  const SnapshotReport second = Ingest(Listing({{earlier_teaser, kBridge.lede},
                                                {bridge_teaser, kBridge.lede},
                                                {kSchool.title, kSchool.lede}}),
                                       2, "listing.jsonl", DumpFormat::kJsonl);
  ASSERT_EQ(second.stories.size(), 3u);
  ASSERT_EQ(second.stories[1].status, StoryStatus::kNew);
  // A first page teaches the site's chrome; the page of the bridge then
  // shows the teaser's lede under the page's own headline.
  Ingest(Page(kMill), 2, "mill.txt");
  const SnapshotReport page = Ingest(Page(kBridge), 2, "bridge.txt");
  ASSERT_EQ(page.stories.size(), 1u);
  const ReportEntry& entry = page.stories[0];
  EXPECT_EQ(entry.status, StoryStatus::kUpdated);
  EXPECT_EQ(entry.story_id, second.stories[1].story_id);
  EXPECT_NE(entry.story_id, first.stories[0].story_id);
  const VersionRecord version = PageVersion(page);
  EXPECT_EQ(version.title, bridge_teaser);
  EXPECT_EQ(version.lede, kBridge.lede);
  EXPECT_THAT(version.body, HasSubstr(kBridge.paragraphs[0]));
  EXPECT_THAT(version.body, Not(HasSubstr("fanfare")));
  ExpectCheckPasses();
}

TEST_F(SourceLearningTest, ADailyGazetteWithOneLedeStaysApartOnceItIsATemplate) {
  const std::string lede =
      "Chaque matin pendant la course, notre envoyé spécial raconte l'étape de la veille, les "
      "coulisses du peloton et les rencontres au bord de la route.";
  const std::vector<std::string> titles = {
      "Carnet de route : cols, fromages et maillots", "Carnet de route : pavés, vent et chutes",
      "Carnet de route : orages sur le lac", "Carnet de route : une montée sous la chaleur"};
  const std::pair<std::string, std::string> other = {kMill.title, kMill.lede};
  std::vector<std::string> stories;
  for (size_t day = 0; day < titles.size(); ++day) {
    // Yesterday's gazette is still listed under today's.
    std::vector<std::pair<std::string, std::string>> items = {{titles[day], lede}, other};
    if (day > 0) items.emplace_back(titles[day - 1], lede);
    const SnapshotReport report = Ingest(Listing(items), static_cast<int>(day) + 1,
                                         "listing.jsonl", DumpFormat::kJsonl);
    ASSERT_FALSE(report.stories.empty());
    stories.push_back(report.stories[0].story_id);
    if (day >= 2) {
      // Its lede has come under three titles: today's gazette is a story
      // of its own, and yesterday's stays in its story.
      EXPECT_EQ(report.stories[0].status, StoryStatus::kNew) << titles[day];
      EXPECT_EQ(report.stories.size() - report.dropped_count, 3u) << titles[day];
    }
  }
  EXPECT_NE(stories[2], stories[1]);
  EXPECT_NE(stories[3], stories[2]);
  ExpectCheckPasses();
}

TEST_F(SourceLearningTest, ARewriteThatReplacedADroppedStoryIsUpdated) {
  const std::pair<std::string, std::string> school = {kSchool.title, kSchool.lede};
  const std::pair<std::string, std::string> mill = {kMill.title, kMill.lede};
  Ingest(Listing({school,
                  {"Au col de Bérard, les secours approchent des randonneurs bloqués par la neige",
                   "Une équipe de gendarmes de Briançon progresse depuis l'aube vers le refuge."},
                  mill}),
         1, "listing.jsonl", DumpFormat::kJsonl);
  // Headline and lede rewritten: no rule matches it anywhere, yet it took
  // the place of the story that left the listing.
  const SnapshotReport second = Ingest(
      Listing({school,
               {"Au col de Bérard, les randonneurs bloqués par la neige sont sains et saufs",
                "Les gendarmes de Briançon ont hélitreuillé les quatre marcheurs en fin de "
                "matinée."},
               mill}),
      2, "listing.jsonl", DumpFormat::kJsonl);
  EXPECT_EQ(second.dropped_count, 0);
  EXPECT_EQ(second.new_count, 0);
  ASSERT_EQ(second.updated_count, 1);
  const ReportEntry& updated = second.stories[1];
  EXPECT_EQ(updated.status, StoryStatus::kUpdated);
  EXPECT_EQ(updated.rule, MatchRule::kTransition);
  ASSERT_EQ(updated.changes.size(), 1u);
  EXPECT_EQ(updated.changes[0].change, ChangeClass::kRewritten);
  ASSERT_TRUE(updated.transition.has_value());
  EXPECT_GE(updated.transition->title_similarity, params_.transition_jaccard);
  EXPECT_EQ(updated.transition->shared, 1);  // Briançon; Bérard is in both titles.
  EXPECT_EQ(updated.transition->previous_position, 1u);
  EXPECT_EQ(updated.transition->position, 1u);
  ExpectCheckPasses();
}

TEST_F(SourceLearningTest, AFollowUpOnAnotherDayDoesNotReplaceTheStoryThatLeft) {
  const std::pair<std::string, std::string> mill = {kMill.title, kMill.lede};
  Ingest(Listing({{"Au marché de Noël de Colmar, la foule du 4 décembre",
                   "Le marché de Colmar a accueilli des milliers de visiteurs le 4 décembre."},
                  mill}),
         1, "listing.jsonl", DumpFormat::kJsonl);
  const SnapshotReport second =
      Ingest(Listing({{"Au marché de Noël de Colmar, la foule du 11 décembre",
                       "Le marché de Colmar a accueilli des milliers de visiteurs le 11 décembre."},
                      mill}),
             2, "listing.jsonl", DumpFormat::kJsonl);
  EXPECT_EQ(second.new_count, 1);
  EXPECT_EQ(second.dropped_count, 1);
}

}  // namespace
}  // namespace newsdedup
