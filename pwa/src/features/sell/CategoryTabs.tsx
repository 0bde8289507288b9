export const ALL_CATEGORIES = '';

interface CategoryTabsProps {
  categories: string[];
  selected: string;
  onSelect: (category: string) => void;
}

/** "All" plus one tab per category in the catalog. */
export function CategoryTabs({ categories, selected, onSelect }: CategoryTabsProps) {
  const tabs = [
    { id: ALL_CATEGORIES, label: 'All' },
    ...categories.map((category) => ({ id: category, label: category })),
  ];
  return (
    <div className="category-tabs" role="tablist" aria-label="Categories">
      {tabs.map((tab) => (
        <button
          type="button"
          role="tab"
          key={tab.id || 'all'}
          aria-selected={tab.id === selected}
          className={tab.id === selected ? 'category-tab is-selected' : 'category-tab'}
          data-testid={`category-${tab.label}`}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
