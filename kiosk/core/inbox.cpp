#include "core/inbox.hpp"

namespace kiosk::core {

Inbox::Inbox(std::size_t space_count, Wake wake) : slots_(space_count), wake_(std::move(wake)) {
  pending_.reserve(space_count);
}

void Inbox::post(std::uint32_t space, const Reading& reading) {
  if (space >= slots_.size()) return;
  posted_.fetch_add(1, std::memory_order_relaxed);
  bool was_empty;
  {
    std::lock_guard lock(mutex_);
    was_empty = pending_.empty() && !link_;
    Slot& slot = slots_[space];
    if (slot.pending) {
      superseded_.fetch_add(1, std::memory_order_relaxed);
    } else {
      slot.pending = true;
      pending_.push_back(space);
    }
    slot.reading = reading;
  }
  wake_if_first(was_empty);
}

void Inbox::post_link(LinkStatus status) {
  bool was_empty;
  {
    std::lock_guard lock(mutex_);
    was_empty = pending_.empty() && !link_;
    link_ = std::move(status);
  }
  wake_if_first(was_empty);
}

void Inbox::drain(Batch& batch) {
  batch.readings.clear();
  batch.link.reset();
  std::lock_guard lock(mutex_);
  for (std::uint32_t index : pending_) {
    Slot& slot = slots_[index];
    slot.pending = false;
    batch.readings.emplace_back(index, slot.reading);
  }
  pending_.clear();
  batch.link = std::move(link_);
  link_.reset();
}

// Only the post that makes the inbox non-empty wakes the main loop: one wake per frame at most.
void Inbox::wake_if_first(bool was_empty) {
  if (was_empty && wake_) wake_();
}

}  // namespace kiosk::core
