enum _FinsamCorePlaceholder {}
