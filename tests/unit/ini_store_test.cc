// Tests for IniStore: configparser's merged view of several files. The
// expected orders and values were checked with Python 3.11's
// RawConfigParser (read_string of the same texts, then sections(), items(),
// get() and set()).

#include "compiler/syntax/ini_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace proctor::syntax {
namespace {

class IniStoreTest : public testing::Test {
 protected:
  FileId add(std::string text) {
    FileId id = sm_.add("f" + std::to_string(sm_.size()) + ".ini", std::move(text));
    store_.merge(parse_ini(sm_, id, sink_));
    return id;
  }

  // "k=v,k2=v2" for the pointers items() or a section's options give.
  static std::string pairs(const std::vector<const StoredOption*>& opts) {
    std::string out;
    for (const StoredOption* o : opts) out += (out.empty() ? "" : ",") + o->key + "=" + o->value;
    return out;
  }
  static std::string pairs(const StoredSection& s) {
    std::vector<const StoredOption*> opts;
    for (const StoredOption& o : s.options) opts.push_back(&o);
    return pairs(opts);
  }

  SourceManager sm_;
  DiagSink sink_;
  IniStore store_;
};

TEST_F(IniStoreTest, RepeatedSectionsAndKeysMergeInFirstSeenOrder) {
  FileId f0 = add("[a]\nx=1\ny=2\n[b]\nz=3\n[a]\nX=4\nw=5\n");
  FileId f1 = add("[b]\nz=9\n[c]\n");
  // Python: ['a', 'b', 'c'], a = x=4, y=2, w=5; b = z=9.
  EXPECT_EQ(store_.section_names(), (std::vector<std::string>{"a", "b", "c"}));
  const StoredSection* a = store_.section("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(pairs(*a), "x=4,y=2,w=5");
  EXPECT_EQ(a->header_range.begin.line, 1u);
  EXPECT_EQ(a->first_file, f0);
  ASSERT_EQ(a->reopened.size(), 1u);
  EXPECT_EQ(a->reopened[0].begin.line, 6u);
  // The replaced definition is remembered; the key now points at line 7.
  const StoredOption& x = a->options[0];
  EXPECT_EQ(x.key_range.begin.line, 7u);
  ASSERT_EQ(x.overridden.size(), 1u);
  EXPECT_EQ(x.overridden[0].begin.line, 2u);

  const StoredSection* b = store_.section("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pairs(*b), "z=9");
  ASSERT_EQ(b->reopened.size(), 1u);
  EXPECT_EQ(b->reopened[0].begin.file, f1);
  EXPECT_EQ(b->options[0].overridden[0].begin.file, f0);
  EXPECT_EQ(store_.section("c")->first_file, f1);
  EXPECT_TRUE(store_.section("c")->options.empty());
}

TEST_F(IniStoreTest, OverriddenKeepsEveryEarlierDefinitionOldestFirst) {
  add("[s]\nk=1\nk=2\n");
  add("[s]\nk=3\n");
  const StoredOption* k = store_.get("s", "k");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->value, "3");
  ASSERT_EQ(k->overridden.size(), 2u);
  EXPECT_EQ(k->overridden[0].begin.line, 2u);
  EXPECT_EQ(k->overridden[1].begin.line, 3u);
}

TEST_F(IniStoreTest, DefaultsAreSeparateAndFillEverySection) {
  add("[DEFAULT]\nk=1\nd=0\n[s]\nj=2\nk=3\n");
  // Python: sections() == ['s']; has_section('DEFAULT') is False;
  // items('s') == [('k','3'), ('d','0'), ('j','2')].
  EXPECT_EQ(store_.section_names(), std::vector<std::string>{"s"});
  EXPECT_FALSE(store_.has_section("DEFAULT"));
  EXPECT_EQ(store_.section("DEFAULT"), nullptr);
  EXPECT_TRUE(store_.has_section("s"));
  EXPECT_EQ(pairs(store_.defaults()), "k=1,d=0");
  EXPECT_EQ(pairs(store_.items("s")), "k=3,d=0,j=2");
  EXPECT_EQ(pairs(store_.items("DEFAULT")), "k=1,d=0");
  EXPECT_TRUE(store_.items("nope").empty());

  EXPECT_EQ(store_.get("s", "K")->value, "3");  // get() applies optionxform
  EXPECT_EQ(store_.get("s", "d")->value, "0");
  EXPECT_EQ(store_.get("s", "d"), &store_.defaults().options[1]);
  EXPECT_EQ(store_.get("DEFAULT", "k")->value, "1");
  EXPECT_EQ(store_.get("s", "nope"), nullptr);
  EXPECT_EQ(store_.get("nope", "k"), nullptr);
}

TEST_F(IniStoreTest, DefaultHeaderRepeatedAcrossFiles) {
  FileId f0 = add("[DEFAULT]\nk=1\n");
  add("[DEFAULT]\nk=2\nz=3\n");
  EXPECT_EQ(store_.defaults().first_file, f0);
  EXPECT_EQ(store_.defaults().reopened.size(), 1u);
  EXPECT_EQ(pairs(store_.defaults()), "k=2,z=3");
}

TEST_F(IniStoreTest, SetCopiesADefaultIntoTheSection) {
  add("[DEFAULT]\nk=1\nd=0\n[s]\nj=2\nk=3\n");
  // Python: after set('s','d','x'), items('s') == [('k','3'), ('d','x'),
  // ('j','2')], the section dict is j, k, d and DEFAULT is unchanged.
  store_.set("s", *store_.get("s", "d"), "x");
  EXPECT_EQ(pairs(store_.items("s")), "k=3,d=x,j=2");
  EXPECT_EQ(pairs(*store_.section("s")), "j=2,k=3,d=x");
  EXPECT_EQ(pairs(store_.defaults()), "k=1,d=0");
  const StoredOption* d = store_.get("s", "d");
  EXPECT_EQ(d->key_range, store_.defaults().options[1].key_range);  // DEFAULT's location

  // An own key changes its value in place and keeps its location.
  const SourceRange j_range = store_.get("s", "j")->key_range;
  store_.set("s", *store_.get("s", "j"), "y");  // `from` aliases the stored option
  EXPECT_EQ(pairs(store_.items("s")), "k=3,d=x,j=y");
  EXPECT_EQ(store_.get("s", "j")->key_range, j_range);
  EXPECT_TRUE(store_.get("s", "j")->overridden.empty());

  // Python: set('DEFAULT','z','new') -> items('s') == k, d, z, j.
  StoredOption z{"z", "", {}, {}, {}};
  store_.set("DEFAULT", z, "new");
  EXPECT_EQ(pairs(store_.items("s")), "k=3,d=x,z=new,j=y");

  store_.set("nope", z, "v");  // Python raises NoSectionError; nothing changes
  EXPECT_FALSE(store_.has_section("nope"));
}

TEST_F(IniStoreTest, SectionNamesAreCaseSensitiveKeysAreNot) {
  add("[S]\nKey=1\n[s]\nkey=2\n");
  EXPECT_EQ(store_.section_names(), (std::vector<std::string>{"S", "s"}));
  EXPECT_EQ(store_.get("S", "KEY")->value, "1");
  EXPECT_EQ(store_.get("s", "kEy")->value, "2");
}

TEST_F(IniStoreTest, MutableSectionEditsAreSeenByLookups) {
  add("[s]\na=1\n");
  StoredSection* s = store_.section("s");
  ASSERT_NE(s, nullptr);
  s->options[0].value = "changed";
  s->options.push_back({"b", "2", {}, {}, {}});  // index goes stale; lookups still work
  EXPECT_EQ(store_.get("s", "a")->value, "changed");
  EXPECT_EQ(store_.get("s", "b")->value, "2");
  add("[s]\nb=3\n");
  EXPECT_EQ(pairs(*store_.section("s")), "a=changed,b=3");
}

TEST_F(IniStoreTest, LargeInputsMergeInLinearTime) {
  std::string many_sections;
  for (int i = 0; i < 100000; ++i) many_sections += "[p" + std::to_string(i) + "]\nk=v\n";
  add(many_sections);
  std::string many_keys = "[big]\n";
  for (int i = 0; i < 100000; ++i) many_keys += "k" + std::to_string(i) + "=v\n";
  add(many_keys);
  add(many_keys);  // every key replaced once
  EXPECT_EQ(store_.section_names().size(), 100001u);
  EXPECT_EQ(store_.section("p99999")->options.size(), 1u);
  EXPECT_EQ(store_.section("big")->options.size(), 100000u);
  EXPECT_EQ(store_.get("big", "k99999")->overridden.size(), 1u);
  EXPECT_EQ(store_.items("big").size(), 100000u);
}

}  // namespace
}  // namespace proctor::syntax
