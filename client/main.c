/* Placeholder until the client lands. */
int main(void);
int main(void)
{
	return 70;
}
