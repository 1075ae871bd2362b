// The behaviour every singly-linked list flavour shares (slist.h, sflist.h), as a typed test
// suite. A test file instantiates it with a traits struct that maps the operations onto one
// flavour's functions. After every operation the whole list is checked: the walk from the head
// gives the expected values, the tail is the last node, len agrees, and (for sflist) every node
// still carries the flags it was given.
#ifndef GALE_TESTS_SYS_LIST_CONFORMANCE_H_
#define GALE_TESTS_SYS_LIST_CONFORMANCE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gale::testing {

template <typename Traits>
class ListConformance : public ::testing::Test {
 protected:
  using List = typename Traits::List;
  using Node = typename Traits::Node;
  static constexpr int kItems = 8;

  struct Item {
    int value;
    Node node;
  };

  void SetUp() override {
    Traits::Init(&list_);
    Traits::Init(&other_);
    for (int i = 0; i < kItems; ++i) {
      items_[i].value = i;
      Traits::NodeInit(&items_[i].node, i);
    }
  }

  Node *N(int i) { return &items_[i].node; }

  static int ValueOf(const Node *node) {
    return reinterpret_cast<const Item *>(reinterpret_cast<const char *>(node) -
                                          offsetof(Item, node))
        ->value;
  }

  // The values from head to tail, after checking the list's invariants.
  static std::vector<int> Values(const List &list) {
    std::vector<int> values;
    const Node *last = nullptr;
    for (Node *n = Traits::PeekHead(&list); n != nullptr; n = Traits::PeekNext(n)) {
      values.push_back(ValueOf(n));
      EXPECT_EQ(Traits::Flags(n), Traits::ExpectedFlags(ValueOf(n)))
          << "node " << ValueOf(n) << " lost its flags";
      last = n;
      if (values.size() > static_cast<size_t>(kItems)) {
        ADD_FAILURE() << "cycle in list";
        break;
      }
    }
    EXPECT_EQ(Traits::PeekTail(&list), last) << "tail is not the last node";
    EXPECT_EQ(Traits::IsEmpty(&list), values.empty());
    EXPECT_EQ(Traits::Len(&list), values.size());
    return values;
  }

  void AppendAll(std::initializer_list<int> values) {
    for (int v : values) {
      Traits::Append(&list_, N(v));
    }
  }

  List list_;
  List other_;
  Item items_[kItems];
};

TYPED_TEST_SUITE_P(ListConformance);

TYPED_TEST_P(ListConformance, EmptyList) {
  using T = TypeParam;
  typename T::List fresh = T::StaticInit();
  EXPECT_TRUE(T::IsEmpty(&fresh));
  EXPECT_TRUE(T::IsEmpty(&this->list_));
  EXPECT_EQ(T::PeekHead(&this->list_), nullptr);
  EXPECT_EQ(T::PeekTail(&this->list_), nullptr);
  EXPECT_EQ(T::Get(&this->list_), nullptr);
  EXPECT_EQ(T::Len(&this->list_), 0U);
  EXPECT_FALSE(T::FindAndRemove(&this->list_, this->N(0)));
  EXPECT_EQ(T::PeekNext(nullptr), nullptr);
}

TYPED_TEST_P(ListConformance, AppendAndPrependKeepOrder) {
  using T = TypeParam;
  T::Append(&this->list_, this->N(1));
  EXPECT_EQ(T::PeekHead(&this->list_), this->N(1));
  EXPECT_EQ(T::PeekTail(&this->list_), this->N(1));
  T::Append(&this->list_, this->N(2));
  T::Prepend(&this->list_, this->N(0));
  T::Append(&this->list_, this->N(3));
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(T::PeekNext(this->N(3)), nullptr);
  EXPECT_EQ(T::PeekNextNoCheck(this->N(0)), this->N(1));

  typename T::List l2;
  T::Init(&l2);
  T::Prepend(&l2, this->N(5));
  EXPECT_EQ(T::PeekTail(&l2), this->N(5)) << "prepend to an empty list sets the tail";
  T::Prepend(&l2, this->N(4));
  EXPECT_EQ(this->Values(l2), (std::vector<int>{4, 5}));
}

TYPED_TEST_P(ListConformance, InsertAtHeadMiddleAndTail) {
  using T = TypeParam;
  T::Insert(&this->list_, nullptr, this->N(2));  // into an empty list
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2}));
  T::Insert(&this->list_, nullptr, this->N(0));     // before the head
  T::Insert(&this->list_, this->N(2), this->N(4));  // after the tail: becomes the tail
  T::Insert(&this->list_, this->N(0), this->N(1));  // middle
  T::Insert(&this->list_, this->N(2), this->N(3));  // middle
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(T::PeekTail(&this->list_), this->N(4));
}

TYPED_TEST_P(ListConformance, GetRemovesFromTheHead) {
  using T = TypeParam;
  this->AppendAll({0, 1, 2});
  EXPECT_EQ(T::GetNotEmpty(&this->list_), this->N(0));
  EXPECT_EQ(T::PeekNext(this->N(0)), nullptr) << "a removed node keeps no link";
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{1, 2}));
  EXPECT_EQ(T::Get(&this->list_), this->N(1));
  EXPECT_EQ(T::Get(&this->list_), this->N(2));
  EXPECT_EQ(T::PeekTail(&this->list_), nullptr) << "getting the last node clears the tail";
  EXPECT_EQ(T::Get(&this->list_), nullptr);
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{}));
  // The list is usable again.
  T::Append(&this->list_, this->N(0));
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{0}));
}

TYPED_TEST_P(ListConformance, RemoveHeadMiddleTailAndOnly) {
  using T = TypeParam;
  this->AppendAll({0, 1, 2, 3, 4});
  T::Remove(&this->list_, this->N(1), this->N(2));  // middle
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{0, 1, 3, 4}));
  EXPECT_EQ(T::PeekNext(this->N(2)), nullptr);
  T::Remove(&this->list_, nullptr, this->N(0));  // head
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{1, 3, 4}));
  T::Remove(&this->list_, this->N(3), this->N(4));  // tail: the predecessor becomes the tail
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{1, 3}));
  EXPECT_EQ(T::PeekTail(&this->list_), this->N(3));
  T::Append(&this->list_, this->N(4));  // appending after a tail removal links correctly
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{1, 3, 4}));
  T::Remove(&this->list_, nullptr, this->N(1));
  T::Remove(&this->list_, nullptr, this->N(3));
  T::Remove(&this->list_, nullptr, this->N(4));  // the only node
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{}));
  EXPECT_EQ(T::PeekHead(&this->list_), nullptr);
}

TYPED_TEST_P(ListConformance, FindReportsThePredecessor) {
  using T = TypeParam;
  this->AppendAll({0, 1, 2});
  typename T::Node *prev = this->N(7);
  EXPECT_TRUE(T::Find(&this->list_, this->N(0), &prev));
  EXPECT_EQ(prev, nullptr);
  EXPECT_TRUE(T::Find(&this->list_, this->N(2), &prev));
  EXPECT_EQ(prev, this->N(1));
  EXPECT_FALSE(T::Find(&this->list_, this->N(5), &prev));
  EXPECT_EQ(prev, nullptr);
  EXPECT_TRUE(T::Find(&this->list_, this->N(1), nullptr));
}

TYPED_TEST_P(ListConformance, FindAndRemove) {
  using T = TypeParam;
  this->AppendAll({0, 1, 2, 3});
  EXPECT_FALSE(T::FindAndRemove(&this->list_, this->N(6)));
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(T::FindAndRemove(&this->list_, this->N(3)));  // tail
  EXPECT_EQ(T::PeekTail(&this->list_), this->N(2));
  EXPECT_TRUE(T::FindAndRemove(&this->list_, this->N(1)));   // middle
  EXPECT_TRUE(T::FindAndRemove(&this->list_, this->N(0)));   // head
  EXPECT_FALSE(T::FindAndRemove(&this->list_, this->N(0)));  // already gone
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2}));
  EXPECT_TRUE(T::FindAndRemove(&this->list_, this->N(2)));  // only node
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{}));
}

TYPED_TEST_P(ListConformance, AppendListAndMerge) {
  using T = TypeParam;
  // A chain built in another list, then handed over by its ends.
  T::Append(&this->other_, this->N(2));
  T::Append(&this->other_, this->N(3));
  T::AppendList(&this->list_, T::PeekHead(&this->other_), T::PeekTail(&this->other_));
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2, 3}));  // into an empty list
  T::Init(&this->other_);
  T::Append(&this->other_, this->N(4));
  T::AppendList(&this->list_, T::PeekHead(&this->other_), T::PeekTail(&this->other_));
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2, 3, 4}));
  T::AppendList(&this->list_, nullptr, nullptr);  // nothing to append
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2, 3, 4}));

  T::Init(&this->other_);
  T::Append(&this->other_, this->N(5));
  T::Append(&this->other_, this->N(6));
  T::Merge(&this->list_, &this->other_);
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2, 3, 4, 5, 6}));
  EXPECT_EQ(this->Values(this->other_), (std::vector<int>{})) << "the source is emptied";
  T::Merge(&this->list_, &this->other_);  // merging an empty list changes nothing
  EXPECT_EQ(this->Values(this->list_), (std::vector<int>{2, 3, 4, 5, 6}));
  T::Merge(&this->other_, &this->list_);  // into an empty list
  EXPECT_EQ(this->Values(this->other_), (std::vector<int>{2, 3, 4, 5, 6}));
  EXPECT_TRUE(T::IsEmpty(&this->list_));
}

// A long random sequence of operations, each checked against a std::vector model.
TYPED_TEST_P(ListConformance, RandomOperationsMatchAModel) {
  using T = TypeParam;
  using Node = typename T::Node;
  std::vector<int> model;
  uint32_t x = 2024;
  auto next_random = [&x] {
    x = x * 1103515245U + 12345U;
    return (x >> 16) & 0x7FFF;
  };
  const int k = TestFixture::kItems;
  for (int step = 0; step < 5000; ++step) {
    const int v = static_cast<int>(next_random() % k);
    const auto where = std::find(model.begin(), model.end(), v);
    const bool present = where != model.end();
    switch (next_random() % 6) {
      case 0:
        if (!present) {
          T::Append(&this->list_, this->N(v));
          model.push_back(v);
        }
        break;
      case 1:
        if (!present) {
          T::Prepend(&this->list_, this->N(v));
          model.insert(model.begin(), v);
        }
        break;
      case 2:
        if (!present) {
          // After a random element, or at the head (prev NULL).
          const size_t at = next_random() % (model.size() + 1);
          T::Insert(&this->list_, at == 0 ? nullptr : this->N(model[at - 1]), this->N(v));
          model.insert(model.begin() + static_cast<long>(at), v);
        }
        break;
      case 3:
        if (present) {
          Node *prev = nullptr;
          ASSERT_TRUE(T::Find(&this->list_, this->N(v), &prev));
          ASSERT_EQ(prev, where == model.begin() ? nullptr : this->N(*(where - 1)));
          T::Remove(&this->list_, prev, this->N(v));
          model.erase(where);
        }
        break;
      case 4:
        ASSERT_EQ(T::FindAndRemove(&this->list_, this->N(v)), present);
        if (present) {
          model.erase(where);
        }
        break;
      default: {
        Node *got = T::Get(&this->list_);
        if (model.empty()) {
          ASSERT_EQ(got, nullptr);
        } else {
          ASSERT_EQ(got, this->N(model.front()));
          model.erase(model.begin());
        }
        break;
      }
    }
    ASSERT_EQ(this->Values(this->list_), model) << "after step " << step;
  }
}

REGISTER_TYPED_TEST_SUITE_P(ListConformance, EmptyList, AppendAndPrependKeepOrder,
                            InsertAtHeadMiddleAndTail, GetRemovesFromTheHead,
                            RemoveHeadMiddleTailAndOnly, FindReportsThePredecessor, FindAndRemove,
                            AppendListAndMerge, RandomOperationsMatchAModel);

}  // namespace gale::testing

#endif  // GALE_TESTS_SYS_LIST_CONFORMANCE_H_
