// std::visit over an event variant with one lambda per alternative (the bridges).
#pragma once

namespace sxs {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace sxs
