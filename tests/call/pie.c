int main(void);
int pie_add(int a);
int pie_add(int a) { return a + 1; }
int main(void) { return pie_add(0) - 1; }
